/**
 * The other services' store credentials, for ownership tests ("A's credentials are refused on B's
 * store"). `npm test` passes them as POLYSTORE_SERVICE_CREDENTIALS; no app ever reads this.
 */
export interface ServiceCredential {
  service: string;
  user: string;
  password: string;
}

export function otherServicesCredentials(owner: string): ServiceCredential[] {
  const all = JSON.parse(process.env.POLYSTORE_SERVICE_CREDENTIALS ?? '[]') as ServiceCredential[];
  if (all.length === 0) throw new Error('POLYSTORE_SERVICE_CREDENTIALS is not set: run through `npm test`');
  return all.filter((c) => c.service !== owner);
}
