/** The pattern field of the Nest RMQ envelope `{pattern, data}` each command travels in. */
export const MessagePatterns = {
  like: 'like.command',
  recognition: 'recognition.command',
} as const;

/**
 * Like or unlike. `version` is stamped by the API (time-ordered, unique) so the final state is the
 * last writer's whatever order consumers see; unlike is a tombstone (`liked=false`), never a DELETE.
 */
export interface LikeCommand {
  id: string;
  userId: number;
  logbookId: number;
  liked: boolean;
  version: string;
}

export interface RecognitionCommand {
  id: string;
  photoId: number;
  userId: number;
}
