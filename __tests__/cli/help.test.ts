import { main } from '../../src/cli/main';
import { captureIo } from '../support/cli-io';

describe('gm help', () => {
  it.each([[[]], [['help']], [['--help']]])('prints one screen listing the commands for %j', async (args: string[]) => {
    const { io, out, err } = captureIo();

    expect(await main(args, io)).toBe(0);
    expect(err).toEqual([]);
    const screen = out.join('\n');
    expect(screen).toMatch(/^ {2}probe +ask a game server for its player count/m);
    expect(screen).toMatch(/^ {2}lambda +run a function's handler/m);
    expect(screen).toMatch(/^ {2}help +show this screen/m);
    expect(screen.split('\n').length).toBeLessThanOrEqual(24);
  });

  it('rejects an unknown command with exit 2 and the list of commands on stderr', async () => {
    const { io, out, err } = captureIo();

    expect(await main(['stats'], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err[0]).toBe('gm: unknown command "stats"');
    expect(err.join('\n')).toContain('  probe ');
  });

  it("prints a command's usage for <command> --help", async () => {
    const { io, out } = captureIo();

    expect(await main(['probe', '--help'], io)).toBe(0);
    expect(out[0]).toMatch(/^usage: gm probe --host <host> --port <port>/);
  });
});
