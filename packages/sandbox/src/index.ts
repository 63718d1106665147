export {
  createFakeImp,
  type FakeImp,
  type FakeImpCall,
  type FakeOutcome,
  type FakePayment,
  type FakePortoneOptions,
  installFakePortone,
} from './fake-imp.js';
