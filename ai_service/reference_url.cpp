#include "ai_service/reference_url.hpp"

#include <cctype>
#include <fstream>
#include <optional>

namespace tryon::ai {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size())
      return std::nullopt;
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0)
      return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

} // namespace

pipeline_result<reference_url> parse_reference_url(std::string_view url) {
  reference_url out;
  if (starts_with(url, "file://")) {
    std::string_view rest = url.substr(7);
    if (starts_with(rest, "localhost/"))
      rest.remove_prefix(9);
    if (!starts_with(rest, "/"))
      return pipeline_error{"file URL must hold an absolute path"};
    auto path = percent_decode(rest);
    if (!path || path->find('\0') != std::string::npos)
      return pipeline_error{"bad percent-encoding in file URL"};
    out.scheme = reference_url::kind::file;
    out.path = std::move(*path);
    return out;
  }
  std::string_view rest;
  if (starts_with(url, "http://")) {
    out.scheme = reference_url::kind::http;
    rest = url.substr(7);
  } else if (starts_with(url, "https://")) {
    out.scheme = reference_url::kind::https;
    out.port = "443";
    rest = url.substr(8);
  } else {
    return pipeline_error{"unsupported URL scheme (http://, https:// and "
                          "file:// are supported)"};
  }
  const auto slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view target = rest.substr(slash);
    target = target.substr(0, target.find('#'));
    out.target = target.empty() || target[0] != '/' ? "/" + std::string{target}
                                                    : std::string{target};
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return pipeline_error{"bad IPv6 host in URL"};
    out.host = std::string{authority.substr(1, close - 1)};
    authority.remove_prefix(close + 1);
  } else {
    const auto colon = authority.find(':');
    out.host = std::string{authority.substr(0, colon)};
    authority.remove_prefix(colon == std::string_view::npos ? authority.size()
                                                            : colon);
  }
  if (!authority.empty()) {
    if (authority.front() != ':' || authority.size() < 2)
      return pipeline_error{"bad port in URL"};
    for (char c : authority.substr(1))
      if (!std::isdigit(static_cast<unsigned char>(c)))
        return pipeline_error{"bad port in URL"};
    out.port = std::string{authority.substr(1)};
  }
  if (out.host.empty())
    return pipeline_error{"URL has no host"};
  return out;
}

std::string to_string(const reference_url& url) {
  if (url.scheme == reference_url::kind::file)
    return "file://" + url.path;
  const bool tls = url.scheme == reference_url::kind::https;
  const bool v6 = url.host.find(':') != std::string::npos;
  return std::string{tls ? "https://" : "http://"} +
         (v6 ? "[" + url.host + "]" : url.host) + ":" + url.port + url.target;
}

pipeline_result<std::string> read_file_reference(const reference_url& url,
                                                 std::size_t max_bytes) {
  std::ifstream in(url.path, std::ios::binary);
  if (!in)
    return pipeline_error{"cannot open " + url.path};
  std::string data;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > max_bytes)
      return pipeline_error{url.path + " is larger than the reference limit"};
  }
  if (in.bad())
    return pipeline_error{"read error on " + url.path};
  return data;
}

} // namespace tryon::ai
