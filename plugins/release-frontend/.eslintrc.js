module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Test helpers that assert (see src/__testUtils__/queries.ts).
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expectDisabledWithReason'] },
    ],
  },
});
