/**
 * Keeps one review comment per pull request: the comment written by a bot
 * that carries the marker is edited on each push, and a new one is created
 * only when there is none. Comments of people are never edited, even when
 * they quote the marker.
 *
 * Called from actions/github-script:
 *   await require('./head/.github/scripts/upsert-comment.cjs')({ github, context, body })
 * Returns { action: 'created' | 'updated', id }.
 */
const MARKER = '<!-- gamemanagement-plan -->';

module.exports = async function upsertComment({ github, context, body, marker = MARKER }) {
  if (!body.includes(marker)) throw new Error(`the comment body lacks the marker ${marker}; without it the next push would add a second comment`);
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request?.number ?? context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const ours = comments.find((c) => c.user?.type === 'Bot' && typeof c.body === 'string' && c.body.includes(marker));
  if (ours) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
    return { action: 'updated', id: ours.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return { action: 'created', id: created.data.id };
};
