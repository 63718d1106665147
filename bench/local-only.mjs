// A safety net for benchmarks that run third-party HTTP clients: nothing leaves this machine.
// Proxies from the environment are dropped (axios follows http_proxy), and every TCP connection to a
// host other than 127.0.0.1 or localhost throws before a packet is sent.
import net from 'node:net';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']) {
  delete process.env[name];
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connectLocallyOnly(...args) {
  // Node passes either (options, listener), (port, host, listener) or its own normalized [options, listener].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  const host = typeof options.host === 'string' ? options.host : 'localhost';
  // A string path is a Unix socket, local by nature; http passes `path: null` for TCP.
  if (typeof options.path !== 'string' && !LOCAL_HOSTS.has(host)) {
    throw new Error(`bench: refused a connection to ${host}; benchmarks talk to 127.0.0.1 only`);
  }
  return connect.apply(this, args);
};
