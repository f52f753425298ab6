import { findProviderMirror, terraformVersion } from '../support/terraform';

it('has Terraform 1.11 or newer and the hashicorp/aws provider mirror (install them if this fails)', () => {
  const [major, minor] = terraformVersion().split('.').map(Number);
  expect(major! > 1 || (major === 1 && minor! >= 11)).toBe(true);
  expect(findProviderMirror()).toBeTruthy();
});

it('names what to install when the mirror is missing', () => {
  expect(() => findProviderMirror({ TF_PLUGIN_MIRROR: '/nonexistent-mirror' })).toThrow(/terraform providers mirror/);
});
