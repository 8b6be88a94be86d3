/** The bot's Telegram user id in tests: the stand-in answers getMe with the token's number. */
export const BOT_ID = 7000001;
export const BOT_TOKEN = `${BOT_ID}:TEST-token_abcdefghijklmnop`;

let updateId = 1;
let localMessageId = 1;
const person = (id: number, name = 'User') => ({ id, is_bot: false, first_name: name });

/** Telegram updates as the webhook receives them. */
export const updates = {
  text(fromId: number, text: string, replyTo?: { message_id: number; text: string }) {
    const command = /^\/\w+/.exec(text);
    return {
      update_id: updateId++,
      message: {
        message_id: localMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: fromId, type: 'private', first_name: 'User' },
        from: person(fromId),
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
        ...(replyTo
          ? {
              reply_to_message: {
                message_id: replyTo.message_id,
                date: 0,
                chat: { id: fromId, type: 'private' },
                from: { id: BOT_ID, is_bot: true, first_name: 'Handy' },
                text: replyTo.text,
              },
            }
          : {}),
      },
    };
  },
  callback(fromId: number, data: string, messageId: number) {
    return {
      update_id: updateId++,
      callback_query: {
        id: `cb-${updateId}`,
        from: person(fromId),
        chat_instance: 'ci',
        data,
        message: {
          message_id: messageId,
          date: 0,
          chat: { id: fromId, type: 'private', first_name: 'User' },
          from: { id: BOT_ID, is_bot: true, first_name: 'Handy' },
          text: '...',
        },
      },
    };
  },
  photo(fromId: number, fileId: string, size: number) {
    return {
      update_id: updateId++,
      message: {
        message_id: localMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: fromId, type: 'private', first_name: 'User' },
        from: person(fromId),
        photo: [
          { file_id: `${fileId}-thumb`, file_unique_id: 'thumb', width: 90, height: 90, file_size: 100 },
          { file_id: fileId, file_unique_id: `u-${fileId}`, width: 800, height: 800, file_size: size },
        ],
      },
    };
  },
};
