/**
 * One review comment per pull request: `.github/scripts/upsert-comment.cjs`
 * (run by actions/github-script) edits the bot's marked comment on every push
 * and creates one only when there is none. The GitHub client is a stand-in
 * with the shapes of Octokit's REST API (issues.listComments, updateComment,
 * createComment; `paginate` flattening the pages), as github-script passes it.
 */
import { join } from 'node:path';
import { SCRIPTS_DIR } from './support/repo-files';

type Upsert = (args: { github: unknown; context: unknown; body: string }) => Promise<{ action: string; id: number }>;
// A CommonJS script of the workflow, loaded as github-script loads it.
const upsertComment = require(join(SCRIPTS_DIR, 'upsert-comment.cjs')) as Upsert;

const MARKER = '<!-- gamemanagement-plan -->';
const BODY = `${MARKER}\n## Plan review\n`;

interface Comment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

const bot = (id: number, body: string): Comment => ({ id, body, user: { login: 'github-actions[bot]', type: 'Bot' } });
const person = (id: number, body: string): Comment => ({ id, body, user: { login: 'ana', type: 'User' } });

/** An Octokit stand-in holding the pull request's comments in pages of two. */
function fakeGitHub(comments: Comment[]) {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const listComments = async (params: Record<string, unknown>) => {
    calls.push({ method: 'listComments', params });
    return { data: comments };
  };
  return {
    calls,
    github: {
      // Octokit's paginate walks every page and returns the items of all of them.
      paginate: async (method: typeof listComments, params: Record<string, unknown>) => {
        const { data } = await method(params);
        const pages: Comment[][] = [];
        for (let i = 0; i < data.length; i += 2) pages.push(data.slice(i, i + 2));
        return pages.flat();
      },
      rest: {
        issues: {
          listComments,
          updateComment: async (params: Record<string, unknown>) => {
            calls.push({ method: 'updateComment', params });
            return { data: { id: params.comment_id } };
          },
          createComment: async (params: Record<string, unknown>) => {
            calls.push({ method: 'createComment', params });
            return { data: { id: 999 } };
          },
        },
      },
    },
  };
}

const context = { repo: { owner: 'octo', repo: 'games' }, issue: { number: 7 }, payload: { pull_request: { number: 7 } } };

describe('upsert-comment.cjs', () => {
  it('creates the comment on the first push', async () => {
    const { github, calls } = fakeGitHub([person(1, 'Looks good')]);
    await expect(upsertComment({ github, context, body: BODY })).resolves.toEqual({ action: 'created', id: 999 });
    expect(calls.map((c) => c.method)).toEqual(['listComments', 'createComment']);
    expect(calls[1]!.params).toEqual({ owner: 'octo', repo: 'games', issue_number: 7, body: BODY });
  });

  it('updates the marked comment on the next push, wherever it is in the list, and creates none', async () => {
    const { github, calls } = fakeGitHub([person(1, 'a'), bot(2, 'another bot'), person(3, 'b'), bot(4, `${MARKER}\nold plan`), person(5, 'c')]);
    await expect(upsertComment({ github, context, body: BODY })).resolves.toEqual({ action: 'updated', id: 4 });
    expect(calls.map((c) => c.method)).toEqual(['listComments', 'updateComment']);
    expect(calls[1]!.params).toEqual({ owner: 'octo', repo: 'games', comment_id: 4, body: BODY });
  });

  it('never edits a person\'s comment that quotes the marker', async () => {
    const { github, calls } = fakeGitHub([person(1, `quoting: ${MARKER}`)]);
    await expect(upsertComment({ github, context, body: BODY })).resolves.toEqual({ action: 'created', id: 999 });
    expect(calls.some((c) => c.method === 'updateComment')).toBe(false);
  });

  it('refuses a body without the marker (the next push could not find it)', async () => {
    const { github, calls } = fakeGitHub([]);
    await expect(upsertComment({ github, context, body: '## Plan review' })).rejects.toThrow('lacks the marker');
    expect(calls).toEqual([]);
  });
});
