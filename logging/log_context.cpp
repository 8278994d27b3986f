#include "logging/log_context.hpp"

#include <chrono>
#include <ctime>
#include <random>

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

namespace tryon::logging {

namespace {

using nlohmann::json;

thread_local request_scope* current_scope = nullptr;
// The fields of the event() being logged on this thread, if any.
thread_local const json* current_fields = nullptr;

/// 2026-12-02T21:47:02.123Z
void append_time(spdlog::log_clock::time_point t, spdlog::memory_buf_t& out) {
  auto since = t.time_since_epoch();
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(since);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since - secs)
                .count();
  std::time_t tt = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  out.append(buf, buf + n);
  fmt::format_to(std::back_inserter(out), ".{:03}Z", ms);
}

void append(spdlog::memory_buf_t& out, std::string_view s) {
  out.append(s.data(), s.data() + s.size());
}

/// A text value: bare when it is one plain word, JSON-quoted otherwise.
std::string text_value(const json& v) {
  if (!v.is_string())
    return v.dump();
  const auto& s = v.get_ref<const std::string&>();
  bool plain = !s.empty();
  for (unsigned char c : s)
    plain = plain && c > ' ' && c != '"' && c != '=' && c != '\\' && c < 0x7f;
  return plain ? s : v.dump();
}

class line_formatter final : public spdlog::formatter {
public:
  explicit line_formatter(log_format f) : format_(f) {}

  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    std::string_view text{msg.payload.data(), msg.payload.size()};
    const auto level_sv = spdlog::level::to_string_view(msg.level);
    std::string_view level_name{level_sv.data(), level_sv.size()};
    auto rid = current_request_id();
    if (format_ == log_format::json) {
      // ts, level, msg first: what a reader scans for.
      nlohmann::ordered_json line = nlohmann::ordered_json::object();
      std::string ts;
      {
        spdlog::memory_buf_t b;
        append_time(msg.time, b);
        ts.assign(b.data(), b.size());
      }
      line["ts"] = ts;
      line["level"] = level_name;
      line["msg"] = text;
      if (current_fields)
        for (const auto& [k, v] : current_fields->items())
          line[k] = v;
      if (!rid.empty() && !line.contains("request_id"))
        line["request_id"] = rid;
      // Invalid UTF-8 in a message must not throw out of the logger.
      append(dest, line.dump(-1, ' ', false,
                             nlohmann::ordered_json::error_handler_t::replace));
    } else {
      dest.push_back('[');
      append_time(msg.time, dest);
      append(dest, "] [");
      append(dest, level_name);
      append(dest, "] ");
      append(dest, text);
      bool has_rid = false;
      if (current_fields)
        for (const auto& [k, v] : current_fields->items()) {
          has_rid = has_rid || k == "request_id";
          append(dest, " " + k + "=" + text_value(v));
        }
      if (!rid.empty() && !has_rid)
        append(dest, " request_id=" + std::string{rid});
    }
    append(dest, "\n");
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<line_formatter>(format_);
  }

private:
  log_format format_;
};

bool request_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
}

} // namespace

std::optional<log_format> parse_log_format(std::string_view name) {
  if (name == "text")
    return log_format::text;
  if (name == "json")
    return log_format::json;
  return std::nullopt;
}

void install(log_format format) {
  spdlog::set_formatter(std::make_unique<line_formatter>(format));
}

request_scope::request_scope(std::string request_id)
  : request_id_(std::move(request_id)), outer_(current_scope) {
  current_scope = this;
}

request_scope::~request_scope() {
  current_scope = outer_;
}

std::string_view current_request_id() {
  return current_scope ? std::string_view{current_scope->request_id_}
                       : std::string_view{};
}

void note_user(std::int64_t id) {
  if (current_scope)
    current_scope->user_id_ = id;
}

void event(spdlog::level::level_enum level, std::string_view message,
           const json& fields) {
  const json* outer = current_fields;
  current_fields = fields.is_object() ? &fields : nullptr;
  spdlog::log(level, "{}", message);
  current_fields = outer;
}

std::string make_request_id() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  auto v = gen();
  std::string out(16, '0');
  for (auto& c : out) {
    c = hex[v & 0xf];
    v >>= 4;
  }
  return out;
}

std::optional<std::string> sane_request_id(std::string_view header) {
  if (header.empty() || header.size() > 128)
    return std::nullopt;
  for (char c : header)
    if (!request_id_char(c))
      return std::nullopt;
  return std::string{header};
}

std::string request_id_for(std::string_view header) {
  if (auto id = sane_request_id(header))
    return *id;
  return make_request_id();
}

} // namespace tryon::logging
