/**
 * The EC2 instance types people pick for small game servers, with what the
 * synth needs to know about them offline (no data source may ask AWS at plan
 * time): CPU architecture for the AMI, vCPUs and memory for the task size.
 * A type missing here is accepted when the game sets `architecture` and
 * `memoryMiB` itself.
 */
export type Architecture = 'arm64' | 'x86_64';

export interface InstanceTypeInfo {
  readonly architecture: Architecture;
  readonly vcpus: number;
  readonly memoryMiB: number;
}

const GiB = 1024;

function family(arch: Architecture, sizes: Record<string, [number, number]>, prefix: string): Record<string, InstanceTypeInfo> {
  const out: Record<string, InstanceTypeInfo> = {};
  for (const [size, [vcpus, memGiB]] of Object.entries(sizes)) {
    out[`${prefix}.${size}`] = { architecture: arch, vcpus, memoryMiB: Math.round(memGiB * GiB) };
  }
  return out;
}

const burstable = { nano: [2, 0.5], micro: [2, 1], small: [2, 2], medium: [2, 4], large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32] } as Record<string, [number, number]>;
const general = { large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32] } as Record<string, [number, number]>;
const compute = { large: [2, 4], xlarge: [4, 8], '2xlarge': [8, 16] } as Record<string, [number, number]>;
const memory = { large: [2, 16], xlarge: [4, 32], '2xlarge': [8, 64] } as Record<string, [number, number]>;

export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeInfo>> = {
  ...family('x86_64', burstable, 't3'),
  ...family('x86_64', burstable, 't3a'),
  ...family('arm64', burstable, 't4g'),
  ...family('x86_64', general, 'm5'),
  ...family('x86_64', general, 'm6i'),
  ...family('x86_64', general, 'm6a'),
  ...family('x86_64', general, 'm7i'),
  ...family('x86_64', general, 'm7a'),
  ...family('arm64', general, 'm6g'),
  ...family('arm64', general, 'm7g'),
  ...family('arm64', general, 'm8g'),
  ...family('x86_64', compute, 'c5'),
  ...family('x86_64', compute, 'c6i'),
  ...family('x86_64', compute, 'c7i'),
  ...family('x86_64', compute, 'c7a'),
  ...family('arm64', compute, 'c6g'),
  ...family('arm64', compute, 'c7g'),
  ...family('arm64', compute, 'c8g'),
  ...family('x86_64', memory, 'r6i'),
  ...family('x86_64', memory, 'r7i'),
  ...family('arm64', memory, 'r6g'),
  ...family('arm64', memory, 'r7g'),
};

/**
 * Memory the host keeps for itself: the kernel and the OS take a few percent
 * before ECS registers the instance, and `ECS_RESERVED_MEMORY` keeps 256 MiB
 * for the agent and SSM. What is left is the most a task may ask for.
 */
export const ECS_RESERVED_MEMORY_MIB = 256;

export function memoryForGameMiB(instanceMemoryMiB: number): number {
  return instanceMemoryMiB - ECS_RESERVED_MEMORY_MIB - Math.ceil(instanceMemoryMiB * 0.08);
}
