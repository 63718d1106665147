export { PortoneApiError, PortoneNetworkError, PortoneTimeoutError } from './errors.js';
