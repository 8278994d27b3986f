#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <spdlog/common.h>

namespace tryon::logging {

/// How log lines look (TRYON_LOG_FORMAT).
enum class log_format { text, json };

/// "text" or "json"; nullopt for anything else.
std::optional<log_format> parse_log_format(std::string_view name);

/// Makes spdlog's default logger write `format` lines: text is
/// `[2026-12-02T21:47:02.123Z] [info] message key=value ... request_id=..`,
/// json is one object per line with ts, level, msg, the event's fields and
/// the request id of the scope the line was logged in.
void install(log_format format);

/// The request a thread is working for: every line logged on that thread
/// while the scope lives carries its id. Scopes nest (the inner one wins
/// until it ends).
class request_scope {
public:
  explicit request_scope(std::string request_id);
  ~request_scope();
  request_scope(const request_scope&) = delete;
  request_scope& operator=(const request_scope&) = delete;

  /// The user the request authenticated as, if note_user() was called.
  std::optional<std::int64_t> user_id() const { return user_id_; }

private:
  friend void note_user(std::int64_t id);
  friend std::string_view current_request_id();
  std::string request_id_;
  std::optional<std::int64_t> user_id_;
  request_scope* outer_;
};

/// The id of the innermost request scope on this thread ("" when none).
std::string_view current_request_id();

/// Records the authenticated user in the current request scope (no-op
/// without one): the access line names the user without the handlers
/// having to return it.
void note_user(std::int64_t id);

/// Logs `message` with structured `fields` (a JSON object): keys of the
/// JSON line, or key=value pairs after the text message.
void event(spdlog::level::level_enum level, std::string_view message,
           const nlohmann::json& fields);

/// A fresh request id: 16 random lower-case hex digits.
std::string make_request_id();

/// `header` as a request id if it is sane: 1 to 128 characters of
/// [A-Za-z0-9._:-] (no spaces, quotes or control characters that could
/// forge log lines); nullopt otherwise.
std::optional<std::string> sane_request_id(std::string_view header);

/// The id to use for a request whose X-Request-ID header is `header`
/// (empty when absent): the client's when sane, a fresh one otherwise.
std::string request_id_for(std::string_view header);

} // namespace tryon::logging
