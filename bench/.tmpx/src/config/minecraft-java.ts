/**
 * Minecraft Java clients look up `_minecraft._tcp.<host>` first, so such games
 * get that SRV record unless `srv` says otherwise. Recognised by the query
 * probe or by the image most people run (itzg/minecraft-server, not the
 * Bedrock one); either way the game needs a TCP port for the record to point at.
 */
export interface MinecraftJavaHints {
  readonly image: unknown;
  readonly probe?: { readonly type: string; readonly game?: string };
  readonly ports: readonly { readonly protocol: string }[];
}

const JAVA_IMAGE = /(^|\/)minecraft-server(:|@|$)/;

export function isMinecraftJava({ image, probe, ports }: MinecraftJavaHints): boolean {
  const byProbe = probe?.type === 'query' && probe.game === 'minecraft';
  const byImage = typeof image === 'string' && JAVA_IMAGE.test(image);
  return (byProbe || byImage) && ports.some((p) => p.protocol === 'tcp');
}
