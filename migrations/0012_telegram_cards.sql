-- Where each hand-off ticket's card was posted, so a claim or a close edits that
-- message in place (editMessageText) instead of posting a new one into the advisors'
-- chat. Written when Telegram accepts the card's sendMessage.
CREATE TABLE ticket_cards (
    chat_ref   TEXT NOT NULL,
    ticket_id  INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (chat_ref, ticket_id)
);
