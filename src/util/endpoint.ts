/**
 * A UDP or TCP endpoint: an IP literal and a port. The one declaration shared by
 * the punch, the relay's allocation table and the STUN clients.
 */
export interface Endpoint {
  address: string;
  port: number;
}
