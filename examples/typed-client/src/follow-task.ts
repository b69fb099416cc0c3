/**
 * Follow a task live instead of polling: the README's subscription example. The subscription document is typed by
 * codegen like any operation; graphql-sse's client POSTs it as JSON with `Accept: text/event-stream` (which passes the
 * gateway's CSRF prevention) and yields one typed event per change of the task, until the task finishes.
 */
import { createClient } from 'graphql-sse';
import { graphql } from './gql';
import type { FollowTaskSubscription } from './gql/graphql';

export const FollowTask = graphql(`
  subscription FollowTask($id: ID!) {
    taskUpdated(id: $id) { status progressPercent error { code message } }
  }
`);

type TaskState = NonNullable<FollowTaskSubscription['taskUpdated']>;

/** Every state of the task from now until it finishes (the stream ends there), in order. */
export async function followTask(endpoint: string, taskId: string): Promise<TaskState[]> {
  const client = createClient({ url: endpoint });
  const states: TaskState[] = [];
  try {
    for await (const event of client.iterate<FollowTaskSubscription>({ query: FollowTask.toString(), variables: { id: taskId } })) {
      if (event.errors?.length) throw new Error(event.errors.map((error) => error.message).join('; '));
      if (event.data?.taskUpdated) states.push(event.data.taskUpdated);
    }
  } finally {
    client.dispose();
  }
  return states;
}
