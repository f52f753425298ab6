import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProviderMirror, terraformVersion } from '../support/terraform';

it('has Terraform 1.11 or newer and the hashicorp/aws provider mirror (install them if this fails)', () => {
  const [major, minor] = terraformVersion().split('.').map(Number);
  expect(major! > 1 || (major === 1 && minor! >= 11)).toBe(true);
  expect(findProviderMirror()).toBeTruthy();
});

it('names what to install when the mirror is missing', () => {
  expect(() => findProviderMirror({ TF_PLUGIN_MIRROR: '/nonexistent-mirror' })).toThrow(/terraform providers mirror/);
});

it('takes a mirror in either layout Terraform reads: unpacked (a plugin cache) or packed (terraform providers mirror)', () => {
  const packed = mkdtempSync(join(tmpdir(), 'gm-mirror-packed-'));
  mkdirSync(join(packed, 'registry.terraform.io/hashicorp/aws'), { recursive: true });
  writeFileSync(join(packed, 'registry.terraform.io/hashicorp/aws/terraform-provider-aws_5.100.0_linux_amd64.zip'), '');
  expect(findProviderMirror({ TF_PLUGIN_MIRROR: packed })).toBe(packed);

  const unpacked = mkdtempSync(join(tmpdir(), 'gm-mirror-unpacked-'));
  mkdirSync(join(unpacked, 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64'), { recursive: true });
  expect(findProviderMirror({ TF_PLUGIN_MIRROR: unpacked })).toBe(unpacked);

  // Another version is not this one.
  const other = mkdtempSync(join(tmpdir(), 'gm-mirror-other-'));
  mkdirSync(join(other, 'registry.terraform.io/hashicorp/aws'), { recursive: true });
  writeFileSync(join(other, 'registry.terraform.io/hashicorp/aws/terraform-provider-aws_5.99.0_linux_amd64.zip'), '');
  expect(() => findProviderMirror({ TF_PLUGIN_MIRROR: other })).toThrow(/has no hashicorp\/aws 5\.100\.0/);
});
