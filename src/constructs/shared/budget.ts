/**
 * The budget guard: an AWS Budgets cost budget for the whole account, with an
 * e-mail at 80 % of the amount actually spent and another when AWS forecasts
 * the month will pass it. A game server left running by mistake (a failsafe
 * that could not stop it, a forgotten `gm start`) shows up here within a day,
 * whatever the cause. Budgets are account-wide: a budget counts every service
 * of the account, not only this deployment.
 */
import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { Construct } from 'constructs';
import { resourceName } from '../support/naming';

export interface BudgetProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** The monthly amount, USD. */
  readonly monthlyUsd: number;
  /** Who gets the alerts; at least one (the configuration checks it). */
  readonly emails: readonly string[];
}

/** Percent of the budget at which each alert fires, and on what: spend so far, or the month's forecast. */
export const BUDGET_ALERTS = [
  { notificationType: 'ACTUAL', threshold: 80 },
  { notificationType: 'FORECASTED', threshold: 100 },
] as const;

export class Budget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: BudgetProps) {
    super(scope, id);
    if (props.emails.length === 0) throw new Error('a budget needs at least one alert e-mail');
    this.budget = new BudgetsBudget(this, 'monthly', {
      name: resourceName(props.prefix, 'monthly-budget'),
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      // AWS keeps the amount as a decimal string; two decimals is what the console shows.
      limitAmount: props.monthlyUsd.toFixed(2),
      limitUnit: 'USD',
      notification: BUDGET_ALERTS.map(({ notificationType, threshold }) => ({
        comparisonOperator: 'GREATER_THAN',
        threshold,
        thresholdType: 'PERCENTAGE',
        notificationType,
        subscriberEmailAddresses: [...props.emails],
      })),
    });
  }
}
