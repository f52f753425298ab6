/**
 * The commands an alert tells the operator to run, spelled out with the
 * game's real names so they can be pasted as they are (AWS CLI v2).
 */
export interface OperatorCommands {
  /** Stops the game now: the group to 0, the same as an idle stop. */
  readonly stop: string;
  /** Follows the game container's log. */
  readonly logs: string;
}

/**
 * `region` is the game's region (the function's own, AWS_REGION in Lambda);
 * without it the commands leave `--region` out and use the CLI's default.
 */
export function operatorCommands(game: { readonly asgName: string; readonly logGroupName: string }, region: string | undefined): OperatorCommands {
  const inRegion = region ? ` --region ${region}` : '';
  return {
    stop: `aws autoscaling set-desired-capacity --auto-scaling-group-name ${game.asgName} --desired-capacity 0${inRegion}`,
    logs: `aws logs tail ${game.logGroupName} --follow${inRegion}`,
  };
}
