/** The Session Manager plugin's install step for each kind of machine, with AWS's download addresses. */
import { awsCliStartSession, linuxFamily, pluginInstallSteps } from '../../../src/cli/session-manager/install-help';

const DOWNLOADS = 'https://s3.amazonaws.com/session-manager-downloads/plugin/latest';
const OS_RELEASE = {
  ubuntu: 'NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\n',
  debian: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
  amazon: 'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nID_LIKE="fedora"\n',
  fedora: 'NAME="Fedora Linux"\nID=fedora\n',
  rhel: 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nID_LIKE="fedora"\n',
  arch: 'NAME="Arch Linux"\nID=arch\n',
};

describe('pluginInstallSteps', () => {
  it.each([
    ['Ubuntu x64', 'linux', 'x64', OS_RELEASE.ubuntu, `curl "${DOWNLOADS}/ubuntu_64bit/session-manager-plugin.deb" -o session-manager-plugin.deb && sudo dpkg -i session-manager-plugin.deb`],
    ['Debian arm64', 'linux', 'arm64', OS_RELEASE.debian, `curl "${DOWNLOADS}/ubuntu_arm64/session-manager-plugin.deb" -o session-manager-plugin.deb && sudo dpkg -i session-manager-plugin.deb`],
    ['Amazon Linux x64', 'linux', 'x64', OS_RELEASE.amazon, `sudo dnf install -y ${DOWNLOADS}/linux_64bit/session-manager-plugin.rpm`],
    ['Fedora arm64', 'linux', 'arm64', OS_RELEASE.fedora, `sudo dnf install -y ${DOWNLOADS}/linux_arm64/session-manager-plugin.rpm`],
    ['RHEL x64', 'linux', 'x64', OS_RELEASE.rhel, `sudo dnf install -y ${DOWNLOADS}/linux_64bit/session-manager-plugin.rpm`],
    ['Windows', 'win32', 'x64', undefined, `download and run ${DOWNLOADS}/windows/SessionManagerPluginSetup.exe, then open a new terminal`],
  ])('%s', (_label, platform, arch, osRelease, step) => {
    expect(pluginInstallSteps({ platform, arch, ...(osRelease !== undefined ? { osRelease } : {}) })).toEqual([step]);
  });

  it('macOS: the Homebrew cask first, then the signed package for the chip', () => {
    const [brew, pkgArm] = pluginInstallSteps({ platform: 'darwin', arch: 'arm64' });
    expect(brew).toBe('brew install --cask session-manager-plugin');
    expect(pkgArm).toContain(`${DOWNLOADS}/mac_arm64/session-manager-plugin.pkg`);
    expect(pluginInstallSteps({ platform: 'darwin', arch: 'x64' })[1]).toContain(`${DOWNLOADS}/mac/session-manager-plugin.pkg`);
  });

  it('a Linux it cannot place points at the install guide', () => {
    expect(linuxFamily(OS_RELEASE.arch)).toBe('other');
    expect(pluginInstallSteps({ platform: 'linux', arch: 'x64', osRelease: OS_RELEASE.arch })[0]).toMatch(/^follow https:\/\/docs\.aws\.amazon\.com\/systems-manager\/.+install-plugin\.html for your distribution$/);
  });
});

describe('awsCliStartSession', () => {
  it('a shell', () => {
    expect(awsCliStartSession({ instanceId: 'i-0123456789abcdef0', region: 'eu-west-1' })).toBe('aws ssm start-session --target i-0123456789abcdef0 --region eu-west-1');
  });

  it('a tunnel, with the profile', () => {
    expect(awsCliStartSession({ instanceId: 'i-0123456789abcdef0', region: 'eu-west-1', profile: 'friends', portForwarding: { remotePort: 22, localPort: 2222 } }))
      .toBe('aws ssm start-session --target i-0123456789abcdef0 --region eu-west-1 --profile friends --document-name AWS-StartPortForwardingSession --parameters portNumber=22,localPortNumber=2222');
  });
});
