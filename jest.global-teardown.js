/** Removes the run's temporary folder (see jest.global-setup.js). */
const { rmSync } = require('node:fs');

module.exports = async () => {
  const root = process.env.GM_TEST_TMP_ROOT;
  if (root) rmSync(root, { recursive: true, force: true });
};
