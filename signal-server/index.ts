export { SignalServer, type SignalServerOptions } from './server.js';
