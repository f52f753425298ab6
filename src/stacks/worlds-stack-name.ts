/** The worlds stack's name, apart from the stack so the CLI can name it without loading cdktf. */
export const WORLDS_STACK = 'gamemanagement-worlds';
