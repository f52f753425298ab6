/**
 * Notices to the alerts topic (e-mail, and Discord through the notifier).
 * One place cleans the subject to what SNS accepts.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { sns } from './clients';

export interface Notice {
  readonly subject: string;
  readonly message: string;
}

/** SNS subjects: printable ASCII, no line breaks, at most 100 characters, not empty. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim();
  return (ascii || 'GameManagement').slice(0, 100);
}

/** The region of an ARN (`arn:aws:sns:eu-west-1:…`). */
export function regionOfArn(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

/** Publishes to the topic, in the topic's own region (the waker runs elsewhere). */
export async function publishNotice(topicArn: string, notice: Notice): Promise<void> {
  await sns(regionOfArn(topicArn)).send(new PublishCommand({ TopicArn: topicArn, Subject: snsSubject(notice.subject), Message: notice.message }));
}
