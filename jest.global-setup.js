/**
 * One temporary folder per test run, as TMPDIR of every worker: what the
 * suites and the libraries they drive leave in the temp folder (cdktf's
 * Testing outdirs, Terraform roots, keys) goes with the run, in
 * jest.global-teardown.js, instead of piling up in the machine's /tmp.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
  const root = mkdtempSync(join(tmpdir(), 'gm-test-run-'));
  process.env.GM_TEST_TMP_ROOT = root;
  // Workers start after this and inherit it; os.tmpdir() reads it on every call.
  process.env.TMPDIR = root;
  // The functions run on nodejs22.x; the tests run on this machine's Node, to
  // which the SDK would print a support warning in every worker. (The CLI turns
  // it off itself; its real-process test clears every AWS_ variable.)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
};
