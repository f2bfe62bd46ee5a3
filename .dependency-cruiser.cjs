/**
 * The rooms' import rules, checked by `npm run static` (docs/ARCHITECTURE.md, "Layers"): no
 * import cycle, and no room imports a room of a higher layer. A room may import its own layer
 * and every layer below. Tests may import across (they put the rooms together).
 */
const LAYERS = [
  ['shared', 'types', 'brands', 'numbers'],
  ['case', 'synth', 'money', 'ipintel', 'wallets'],
  ['ops'],
  ['audit'],
  ['users'],
  ['authz'],
  ['web'],
  ['ingest'],
  ['analyze', 'xref', 'jurisdiction'],
  ['readout', 'review', 'requests'],
  ['report'],
  ['outreach', 'package'],
  ['smsc', 'portal'],
  ['console'],
  ['demo', 'cli'],
];

const room = (names) => `^src/(${names.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle: modules that cannot be understood, or loaded, one without another.',
      from: {},
      to: { circular: true },
    },
    ...LAYERS.slice(0, -1).map((layer, i) => ({
      name: `no-upward-from-${layer.join('-')}`,
      severity: 'error',
      comment: `${layer.join(', ')} may import only its own layer and those below (docs/ARCHITECTURE.md).`,
      from: { path: room(layer), pathNot: '\\.test\\.ts$' },
      to: { path: room(LAYERS.slice(i + 1).flat()) },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
