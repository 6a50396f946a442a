/** What an erased user's messages say from then on, in the conversations the other side keeps. */
export const ERASED_MESSAGE_TEXT = '[deleted]';
