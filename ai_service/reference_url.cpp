#include "ai_service/reference_url.hpp"

#include "config/url.hpp"

#include <fstream>
#include <optional>

namespace tryon::ai {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
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
    auto path = config::percent_decode(rest);
    if (!path)
      return pipeline_error{"bad percent-encoding in file URL"};
    out.scheme = reference_url::kind::file;
    out.path = std::move(*path);
    return out;
  }
  auto parts = config::parse_url(url);
  const bool web_scheme =
      starts_with(url, "http://") || starts_with(url, "https://");
  if (!parts && web_scheme)
    return pipeline_error{"malformed URL (bad host or port)"};
  if (!parts || (parts->scheme != "http" && parts->scheme != "https"))
    return pipeline_error{"unsupported URL scheme (http://, https:// and "
                          "file:// are supported)"};
  out.scheme = parts->scheme == "https" ? reference_url::kind::https
                                        : reference_url::kind::http;
  out.host = parts->host;
  out.port = std::to_string(parts->port);
  out.target = parts->target;
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
