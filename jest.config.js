/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // Synth and Terraform tests take seconds each; the default 5 s is too short for them.
  testTimeout: 120000,
  maxWorkers: 2,
  testSequencer: '<rootDir>/jest.sequencer.js',
  setupFiles: ['<rootDir>/__tests__/support/cdktf-creation-stacks-off.ts'],
  globalSetup: '<rootDir>/jest.global-setup.js',
  globalTeardown: '<rootDir>/jest.global-teardown.js',
};
