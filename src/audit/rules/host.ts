/** The game host: instance metadata and disks. */
import { asNumber, block, blocks, resourcesOfType, truthy, type Rule, type RuleFinding } from '../model';

export const imdsV2Required: Rule = {
  id: 'host-imdsv2',
  severity: 'high',
  title: 'IMDSv2 required, hop limit 1',
  protects: 'The host role\'s credentials: with IMDSv1 or a hop limit above 1, the game container (or a request it can be tricked into making) reads them from 169.254.169.254.',
  fix: 'Set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } on the launch template.',
  check(context) {
    return resourcesOfType(context, 'aws_launch_template', 'aws_instance').flatMap((r): RuleFinding[] => {
      const options = block(r.values, 'metadata_options');
      const tokens = options?.http_tokens;
      const hops = asNumber(options?.http_put_response_hop_limit);
      const problems = [
        ...(tokens === 'required' ? [] : [`http_tokens is ${JSON.stringify(tokens ?? 'unset (optional)')}, not "required"`]),
        ...(hops === 1 ? [] : [`http_put_response_hop_limit is ${hops ?? 'unset (AWS default 1 or 2 by AMI)'}, not 1`]),
      ];
      return problems.length > 0 ? [{ resource: r, detail: problems.join('; ') }] : [];
    });
  },
};

export const ebsEncrypted: Rule = {
  id: 'host-ebs-encrypted',
  severity: 'high',
  title: 'EBS volumes encrypted',
  protects: 'The host\'s disk (game files, container layers, logs) at rest and in its snapshots.',
  fix: 'Give the launch template a block_device_mappings entry for the root device with ebs { encrypted = true }.',
  check(context) {
    const templates = resourcesOfType(context, 'aws_launch_template').flatMap((r): RuleFinding[] => {
      const mappings = blocks(r.values, 'block_device_mappings');
      // Without a mapping the root volume is whatever the AMI says: unencrypted unless the account forces it.
      if (mappings.length === 0) return [{ resource: r, detail: 'no block_device_mappings: the root volume takes the AMI\'s default (unencrypted)' }];
      return mappings.filter((m) => !truthy(block(m, 'ebs')?.encrypted))
        .map((m) => ({ resource: r, detail: `volume ${String(m.device_name ?? '?')} is not encrypted` }));
    });
    const volumes = resourcesOfType(context, 'aws_ebs_volume').filter((r) => !truthy(r.values.encrypted))
      .map((r) => ({ resource: r, detail: 'encrypted is not true' }));
    const instances = resourcesOfType(context, 'aws_instance').filter((r) => !truthy(block(r.values, 'root_block_device')?.encrypted))
      .map((r) => ({ resource: r, detail: 'root_block_device is not encrypted' }));
    return [...templates, ...volumes, ...instances];
  },
};

export const HOST_RULES: readonly Rule[] = [imdsV2Required, ebsEncrypted];
