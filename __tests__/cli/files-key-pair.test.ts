/**
 * The key `gm files` pushes to the host must be one OpenSSH reads: ssh2's
 * generator makes a malformed pair about once in 256 draws.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { createTemporaryKey, generateEd25519KeyPair } from '../../src/cli/files/key-pair';

const stripped = JSON.parse(readFileSync(join(__dirname, 'fixtures/keys/ssh2-stripped-public-key.json'), 'utf8')) as {
  private: string;
  public: string;
};

afterEach(() => jest.restoreAllMocks());

/** The key blob of an authorized_keys line ("ssh-ed25519 <base64> comment"). */
function keyBlob(line: string): Buffer {
  return Buffer.from(line.split(' ')[1] ?? '', 'base64');
}

test('the fixture is the malformed kind: a 31-byte public key that ssh2 and OpenSSH refuse', () => {
  const blob = keyBlob(stripped.public);
  expect(blob.readUInt32BE(15)).toBe(31);
  expect(utils.parseKey(stripped.public)).toBeInstanceOf(Error);
});

test('a malformed draw is drawn again', () => {
  const generate = jest.spyOn(utils, 'generateKeyPairSync').mockReturnValueOnce(stripped);
  const pair = generateEd25519KeyPair('gm-files-test');
  expect(generate).toHaveBeenCalledTimes(2);
  expect(pair.public).not.toBe(stripped.public);
  expect(utils.parseKey(pair.public)).not.toBeInstanceOf(Error);
  expect(utils.parseKey(pair.private)).not.toBeInstanceOf(Error);
});

test('a run never gets a malformed key (2,000 draws: the generator alone fails ~8 of them)', () => {
  for (let i = 0; i < 2000; i += 1) {
    const pair = generateEd25519KeyPair();
    const parsed = utils.parseKey(pair.public);
    expect(parsed).not.toBeInstanceOf(Error);
    expect(keyBlob(pair.public).length).toBe(51);
  }
});

test('createTemporaryKey writes a key that reads back to its authorized_keys line', () => {
  const key = createTemporaryKey('minecraft', new Date('2026-11-30T12:00:00Z'));
  try {
    const parsed = utils.parseKey(readFileSync(key.privateKeyFile, 'utf8'));
    if (parsed instanceof Error) throw parsed;
    const fromFile = parsed.getPublicSSH().toString('base64');
    expect(key.publicKey).toBe(`ssh-ed25519 ${fromFile} ${key.comment}`);
  } finally {
    key.remove();
  }
});
