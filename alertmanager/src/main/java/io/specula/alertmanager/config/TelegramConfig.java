package io.specula.alertmanager.config;

import io.specula.model.config.Secret;

/** {@code telegram_configs} entry: a bot's sendMessage to one chat. */
public final class TelegramConfig extends NotifierConfig {
    public String apiUrl;
    public Secret botToken;
    public String botTokenFile;
    public Long chatId;
    public String chatIdFile;
    public Integer messageThreadId;
    public String message;
    public boolean disableNotifications;
    /** Alertmanager's default is HTML; null here means that default (keeps the printed config short). */
    public String parseMode;

    public TelegramConfig() {
        super(true);
    }

    /** The parse mode in effect. */
    public String effectiveParseMode() {
        return parseMode == null ? "HTML" : parseMode;
    }

    @Override
    void validateOwn() throws ConfigValidationException {
        checkUrl(apiUrl);
        if (!set(botToken) && !set(botTokenFile)) {
            throw new ConfigValidationException("missing bot_token or bot_token_file on telegram_config");
        }
        exclusive(set(botToken), set(botTokenFile), "bot_token & bot_token_file");
        if ((chatId == null || chatId == 0) && !set(chatIdFile)) {
            throw new ConfigValidationException("missing chat_id on telegram_config");
        }
        exclusive(chatId != null && chatId != 0, set(chatIdFile), "chat_id & chat_id_file");
        if (parseMode != null && !parseMode.isEmpty() && !parseMode.equals("Markdown")
                && !parseMode.equals("MarkdownV2") && !parseMode.equals("HTML")) {
            throw new ConfigValidationException(
                    "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string");
        }
    }

    @Override
    void applyGlobal(GlobalConfig g) throws ConfigValidationException {
        super.applyGlobal(g);
        if (!set(apiUrl)) {
            apiUrl = g.telegramApiUrl;
        }
    }
}
