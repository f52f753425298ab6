import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { LAMBDAS_DIR } from '../support/lambda-bundle';

export const COUNT_CONNECTIONS_SCRIPT = join(LAMBDAS_DIR, 'watchdog', 'host', 'count-connections.sh');

export interface ConnectionsDocumentProps {
  /** Document name. */
  readonly name: string;
}

/**
 * The SSM Run Command document the `connections` probe sends to the host:
 * it writes count-connections.sh from the repository and runs it with bash.
 * `ports` is checked by a pattern before SSM substitutes it, so nothing but
 * `tcp:25565 udp:19132`-style text can reach the shell.
 */
export class ConnectionsDocument extends Construct {
  readonly document: SsmDocument;

  constructor(scope: Construct, id: string, props: ConnectionsDocumentProps) {
    super(scope, id);
    const script = readFileSync(COUNT_CONNECTIONS_SCRIPT, 'utf8');
    const content = {
      schemaVersion: '2.2',
      description: 'Prints the number of players connected to the game on this host',
      parameters: {
        ports: {
          type: 'String',
          description: 'Game ports, e.g. "tcp:25565 udp:19132"',
          allowedPattern: '^(tcp|udp):[0-9]{1,5}( (tcp|udp):[0-9]{1,5})*$',
        },
      },
      mainSteps: [{
        action: 'aws:runShellScript',
        name: 'countConnections',
        inputs: {
          timeoutSeconds: '20',
          runCommand: [
            // Shipped as base64: the script's own `{{…}}` (docker format strings) must not
            // look like SSM parameters to the document.
            'script=$(mktemp)',
            `echo '${Buffer.from(script).toString('base64')}' | base64 -d > "$script"`,
            'bash "$script" "{{ports}}"; status=$?; rm -f "$script"; exit $status',
          ],
        },
      }],
    };
    this.document = new SsmDocument(this, 'document', {
      name: props.name,
      documentType: 'Command',
      documentFormat: 'JSON',
      targetType: '/AWS::EC2::Instance',
      content: JSON.stringify(content),
    });
  }
}
