-- As ../0012_telegram_cards.sql: where each hand-off ticket's card was posted, so a
-- claim or a close edits that message in place.
CREATE TABLE ticket_cards (
    chat_ref   TEXT NOT NULL,
    ticket_id  BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    PRIMARY KEY (chat_ref, ticket_id)
);
