// Generated from manifest.ts by `npm run generate`; do not edit.
// Runs once when the volume is created: messaging's own user, in its own database; its password
// comes from the container's environment (OWNER_PASSWORD).
db.getSiblingDB('messaging').createUser({
  user: 'messaging_svc',
  pwd: process.env.OWNER_PASSWORD,
  roles: [{ role: 'readWrite', db: 'messaging' }],
});
