/**
 * What AWS (and Docker) refuse, checked offline at load time so a mistake
 * stops the synth instead of failing a deploy halfway. Each check returns the
 * reason in the loader's "expected …" words, or undefined when the value is fine.
 */

/** Regions of the partitions a deployment can use (commercial and AWS GovCloud (US)). */
export const AWS_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
  'us-gov-west-1', 'us-gov-east-1',
];

/** S3 general purpose bucket naming rules (docs: "General purpose bucket naming rules"). */
export function bucketNameProblem(name: string): string | undefined {
  const rules = 'expected an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit';
  if (name.length < 3 || name.length > 63 || !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return rules;
  if (name.includes('..')) return 'expected an S3 bucket name without two dots in a row';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'expected an S3 bucket name that is not an IP address';
  if (name.includes('.-') || name.includes('-.')) return 'expected an S3 bucket name without a hyphen next to a dot';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `expected an S3 bucket name not starting with "${prefix}" (reserved by AWS)`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `expected an S3 bucket name not ending in "${suffix}" (reserved by AWS)`;
  }
  return undefined;
}

/** A DNS name: at most 253 characters, labels of 1-63 letters, digits or hyphens, none at either end. */
export function dnsNameProblem(name: string): string | undefined {
  if (name.length > 253) return `expected a DNS name of at most 253 characters ("${name.slice(0, 40)}…" has ${name.length})`;
  for (const label of name.split('.')) {
    if (label.length === 0) return 'expected a DNS name without empty labels (two dots in a row)';
    if (label.length > 63) return `expected DNS labels of at most 63 characters ("${label.slice(0, 20)}…" has ${label.length})`;
    if (label.startsWith('-') || label.endsWith('-')) return `expected DNS labels that do not start or end with a hyphen ("${label}")`;
  }
  return undefined;
}

/**
 * Docker image reference grammar (distribution/reference): [host[:port]/]path[:tag][@digest],
 * path components lower case, separated by `/`, tags up to 128 characters.
 */
const HOST_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REFERENCE = new RegExp(`^(?:(${HOST})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export function imageReferenceProblem(image: string): string | undefined {
  const expected = 'expected a container image reference such as "itzg/minecraft-server:java21" or "public.ecr.aws/org/game@sha256:…" (lower-case name, optional :tag and @digest)';
  const match = IMAGE_REFERENCE.exec(image);
  if (!match) return expected;
  const [, host, path] = match;
  // "name/x" without a dot, a port or localhost is a path, not a host: the grammar allows both readings.
  const nameLength = (host ? host.length + 1 : 0) + path!.length;
  if (nameLength > 255) return 'expected an image name (registry and repository) of at most 255 characters';
  return undefined;
}

/** An IPv4 CIDR whose host bits are zero, with a prefix length within [min, max]. */
export function ipv4CidrProblem(cidr: string, min = 0, max = 32): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const range = min === 0 && max === 32 ? '' : ` from /${min} to /${max}`;
  if (!match) return `expected an IPv4 CIDR${range}${min >= 16 ? ' (what AWS allows for a VPC), such as 10.0.0.0/16' : ' such as 0.0.0.0/0'}`;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o, i) => o > 255 || (match[i + 1]!.length > 1 && match[i + 1]!.startsWith('0')))) {
    return 'expected an IPv4 CIDR with four numbers from 0 to 255 (no leading zeros)';
  }
  if (bits < min || bits > max) return `expected an IPv4 CIDR${range}${min >= 16 ? ' (what AWS allows for a VPC), such as 10.0.0.0/16' : ''}`;
  const address = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const network = (address & mask) >>> 0;
  if (network !== address) {
    const text = [24, 16, 8, 0].map((s) => (network >>> s) & 255).join('.');
    return `expected the network address of the range: ${text}/${bits}`;
  }
  return undefined;
}

/**
 * EC2 instance type names: family (letters), generation (digit), optional
 * attribute letters and `-flex`, then a size (`large`, `2xlarge`, `metal-24xl`…).
 */
const INSTANCE_TYPE_SHAPE = /^([a-z]+)(\d+)([a-z]*)(-flex)?\.(nano|micro|small|medium|large|(\d+)xlarge|xlarge|metal(?:-\d+xl)?)$/;

/** EC2 instance families (the part before the dot), so that a typo of a listed type is told from a real type. */
export const EC2_FAMILIES: ReadonlySet<string> = new Set((
  'a1 c1 c3 c4 c5 c5a c5ad c5d c5n c6a c6g c6gd c6gn c6i c6id c6in c7a c7g c7gd c7gn c7i c7i-flex c8g c8gd c8gn '
  + 'd2 d3 d3en dl1 f1 f2 g3 g4ad g4dn g5 g5g g6 g6e g6f gr6 h1 hpc6a hpc6id hpc7a hpc7g i2 i3 i3en i4g i4i i7i i7ie i8g '
  + 'im4gn inf1 inf2 is4gen m1 m2 m3 m4 m5 m5a m5ad m5d m5dn m5n m5zn m6a m6g m6gd m6i m6id m6idn m6in m7a m7g m7gd '
  + 'm7i m7i-flex m8g m8gd p3 p3dn p4d p5 p5e r3 r4 r5 r5a r5ad r5b r5d r5dn r5n r6a r6g r6gd r6i r6id r6idn r6in r7a '
  + 'r7g r7gd r7i r7iz r8g r8gd t1 t2 t3 t3a t4g trn1 trn2 vt1 x1 x1e x2gd x2idn x2iedn x2iezn x8g z1d'
).split(' '));

/** A type of a known EC2 family with a well-formed size. */
export function isKnownFamilyType(type: string): boolean {
  return isWellFormedInstanceType(type) && EC2_FAMILIES.has(type.split('.')[0]!);
}

export function isWellFormedInstanceType(type: string): boolean {
  const match = INSTANCE_TYPE_SHAPE.exec(type);
  return match !== null && match[1]!.length <= 4 && match[3]!.length <= 4;
}

/**
 * The most memory any EC2 instance of a type's size has, for types outside
 * the built-in table: what they really have cannot be known offline, but
 * memory above this is a mistake on any of them (32 GiB per vCPU is the
 * largest ratio EC2 offers).
 */
export function mostMemoryForSizeMiB(type: string): number | undefined {
  const match = INSTANCE_TYPE_SHAPE.exec(type);
  if (!match) return undefined;
  const size = match[5]!;
  const GiB = 1024;
  const fixed: Record<string, number> = { nano: 0.5 * GiB, micro: 1 * GiB, small: 2 * GiB, medium: 32 * GiB, large: 64 * GiB, xlarge: 128 * GiB };
  if (fixed[size] !== undefined) return fixed[size];
  if (match[6]) return Number(match[6]) * 128 * GiB;
  return 32 * 1024 * GiB; // metal: the largest (u7in) have 32 TiB
}

/** Tag rules: keys 1-128 characters, values up to 256, not starting with aws: (reserved). */
export function tagKeyProblem(key: string): string | undefined {
  if (/^aws:/i.test(key)) return 'tag keys starting with "aws:" are reserved by AWS; remove the prefix';
  if (key.length < 1 || key.length > 128) return 'expected a tag key of 1 to 128 characters';
  if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u.test(key)) return 'expected a tag key of letters, digits, spaces and _ . : / = + - @';
  return undefined;
}

export function tagValueProblem(value: string): string | undefined {
  if (value.length > 256) return 'expected a tag value of at most 256 characters';
  if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value)) return 'expected a tag value of letters, digits, spaces and _ . : / = + - @';
  return undefined;
}

/** Prefixes AWS reserves for SSM parameter (first path segment) and document names. */
export const RESERVED_NAME_PREFIXES = ['aws', 'amazon', 'amzn', 'ssm'] as const;

/** Every name the stacks derive from `name` and a game id, with its service's limit (see src/constructs). */
export function generatedNames(prefix: string, gameId: string): { readonly name: string; readonly what: string; readonly limit: number }[] {
  const base = `${prefix}-${gameId}`;
  return [
    { name: base, what: 'Auto Scaling group / ECS cluster, service and task family', limit: 255 },
    { name: `${base}-instance-hook`, what: 'Lambda function and its IAM role', limit: 64 },
    { name: `${base}-watchdog`, what: 'Lambda function and its IAM role', limit: 64 },
    { name: `${base}-failsafe`, what: 'Lambda function and its IAM role', limit: 64 },
    { name: `${base}-host`, what: 'IAM role and security group', limit: 64 },
    { name: `${base}-watchdog-schedule`, what: 'EventBridge rule', limit: 64 },
    { name: `${base}-lifecycle`, what: 'EventBridge rule', limit: 64 },
    { name: `${base}-launch-failed`, what: 'EventBridge rule', limit: 64 },
    { name: `${base}-spot-warning`, what: 'EventBridge rule', limit: 64 },
    { name: `${base}-task-stopped`, what: 'EventBridge rule', limit: 64 },
    { name: `${base}-world-nfs`, what: 'security group', limit: 255 },
    { name: `${base}-world`, what: 'AWS Backup selection', limit: 50 },
    { name: `${base}-stop-after-max-hours`, what: 'scaling policy', limit: 255 },
    { name: `${base}-up-too-long`, what: 'CloudWatch alarm', limit: 255 },
    { name: `${base}-terminate`, what: 'lifecycle hook', limit: 255 },
    { name: `${base}-count-connections`, what: 'SSM document', limit: 128 },
    { name: `/${prefix}/${gameId}/watchdog-state`, what: 'SSM parameter', limit: 1011 },
    { name: `/${prefix}/${gameId}/game`, what: 'CloudWatch log group', limit: 512 },
    { name: `/aws/lambda/${base}-instance-hook`, what: 'CloudWatch log group', limit: 512 },
    { name: `${prefix}-alerts`, what: 'SNS topic', limit: 256 },
    { name: `${prefix}-waker-failures`, what: 'SNS topic', limit: 256 },
  ];
}
