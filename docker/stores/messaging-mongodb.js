// Generated from manifest.ts by `npm run generate`; do not edit.
// Runs once when the volume is created: messaging's own user, in its own database.
db.getSiblingDB('messaging').createUser({
  user: 'messaging_svc',
  pwd: 'messaging_svc_dev_password',
  roles: [{ role: 'readWrite', db: 'messaging' }],
});
