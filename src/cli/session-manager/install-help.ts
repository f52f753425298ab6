/**
 * What to type to install the Session Manager plugin on the user's machine,
 * with AWS's own download addresses, and the AWS CLI command that does what
 * gm does once the plugin is there.
 */
import { readFileSync } from 'node:fs';

const DOWNLOADS = 'https://s3.amazonaws.com/session-manager-downloads/plugin/latest';
export const INSTALL_GUIDE_URL = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html';

export interface MachineInfo {
  /** process.platform */
  readonly platform: string;
  /** process.arch */
  readonly arch: string;
  /** The text of /etc/os-release on Linux (undefined elsewhere or when unreadable). */
  readonly osRelease?: string;
}

type LinuxFamily = 'debian' | 'rpm' | 'other';

/** Debian/Ubuntu or RHEL/Amazon Linux/Fedora, from os-release's ID and ID_LIKE. */
export function linuxFamily(osRelease: string | undefined): LinuxFamily {
  const field = (name: string) => new RegExp(`^${name}=["']?([^"'\\n]*)`, 'm').exec(osRelease ?? '')?.[1]?.toLowerCase() ?? '';
  const ids = `${field('ID')} ${field('ID_LIKE')}`.split(/\s+/);
  if (ids.some((id) => ['debian', 'ubuntu'].includes(id))) return 'debian';
  if (ids.some((id) => ['rhel', 'fedora', 'centos', 'amzn', 'rocky', 'almalinux', 'suse', 'opensuse'].includes(id))) return 'rpm';
  return 'other';
}

/** The install step(s) for this machine, one command or instruction per line. */
export function pluginInstallSteps(machine: MachineInfo): string[] {
  const arm = machine.arch === 'arm64';
  switch (machine.platform) {
    case 'darwin':
      return [
        'brew install --cask session-manager-plugin',
        `or, without Homebrew: curl "${DOWNLOADS}/${arm ? 'mac_arm64' : 'mac'}/session-manager-plugin.pkg" -o session-manager-plugin.pkg && sudo installer -pkg session-manager-plugin.pkg -target / && sudo ln -s /usr/local/sessionmanagerplugin/bin/session-manager-plugin /usr/local/bin/session-manager-plugin`,
      ];
    case 'win32':
      return [`download and run ${DOWNLOADS}/windows/SessionManagerPluginSetup.exe, then open a new terminal`];
    case 'linux': {
      const family = linuxFamily(machine.osRelease);
      if (family === 'debian') {
        return [`curl "${DOWNLOADS}/${arm ? 'ubuntu_arm64' : 'ubuntu_64bit'}/session-manager-plugin.deb" -o session-manager-plugin.deb && sudo dpkg -i session-manager-plugin.deb`];
      }
      if (family === 'rpm') return [`sudo dnf install -y ${DOWNLOADS}/${arm ? 'linux_arm64' : 'linux_64bit'}/session-manager-plugin.rpm`];
      return [`follow ${INSTALL_GUIDE_URL} for your distribution`];
    }
    default:
      return [`follow ${INSTALL_GUIDE_URL}`];
  }
}

export interface AwsCliSession {
  readonly instanceId: string;
  readonly region: string;
  readonly profile?: string;
  /** For a port-forwarding session: the host port and the local one. */
  readonly portForwarding?: { readonly remotePort: number; readonly localPort: number };
}

/** The `aws ssm start-session` line that opens the same session with the AWS CLI. */
export function awsCliStartSession(session: AwsCliSession): string {
  const parts = ['aws ssm start-session', `--target ${session.instanceId}`, `--region ${session.region}`];
  if (session.profile) parts.push(`--profile ${session.profile}`);
  if (session.portForwarding) {
    parts.push('--document-name AWS-StartPortForwardingSession',
      `--parameters portNumber=${session.portForwarding.remotePort},localPortNumber=${session.portForwarding.localPort}`);
  }
  return parts.join(' ');
}

/** The lines printed when the plugin is not on PATH. */
export function pluginMissingLines(machine: MachineInfo, session: AwsCliSession): string[] {
  const steps = pluginInstallSteps(machine);
  return [
    'The AWS Session Manager plugin (session-manager-plugin) is not installed or not on PATH. Install it:',
    ...steps.map((step) => `  ${step}`),
    'then run this command again. With the AWS CLI, the same session is:',
    `  ${awsCliStartSession(session)}`,
  ];
}

/** This machine, as the install steps need it. */
export function currentMachine(): MachineInfo {
  let osRelease: string | undefined;
  if (process.platform === 'linux') {
    try {
      osRelease = readFileSync('/etc/os-release', 'utf8');
    } catch {
      osRelease = undefined;
    }
  }
  return { platform: process.platform, arch: process.arch, ...(osRelease !== undefined ? { osRelease } : {}) };
}
