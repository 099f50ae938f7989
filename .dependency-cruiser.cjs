// The layers of fibre-stack, checked on every `npm test` (test/layers.test.ts):
//   core/  <-  exporter/  <-  profiles/  <-  cli/
// Each layer imports only the ones to its left. Profiles reach the exporter runtime only through
// exporter/index.ts, so the runtime's modules can change shape without touching a profile.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-the-bottom',
      comment: 'core/ holds what every layer shares (errors, encoders, spec reading, catalog types); it imports no other layer.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(exporter|profiles|cli)/' },
    },
    {
      name: 'exporter-never-names-a-profile',
      comment: 'The exporter runtime is a library for every profile; profiles plug into it, never the reverse.',
      severity: 'error',
      from: { path: '^exporter/' },
      to: { path: '^(profiles|cli)/' },
    },
    {
      name: 'profiles-below-the-cli',
      comment: 'A profile describes what it monitors; the command line composes profiles, never the reverse.',
      severity: 'error',
      from: { path: '^profiles/' },
      to: { path: '^cli/' },
    },
    {
      name: 'profiles-use-the-exporter-entry',
      comment: 'Profiles import the exporter runtime through exporter/index.ts only.',
      severity: 'error',
      from: { path: '^profiles/' },
      to: { path: '^exporter/', pathNot: '^exporter/index\\.ts$' },
    },
    {
      name: 'no-cycles',
      comment: 'A cycle ties modules so that neither can change or load without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
