#include "ai_service/https_fetch.hpp"

#include <curl/curl.h>

#include <memory>

namespace tryon::ai {

namespace {

struct sink {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count,
                    void* user) {
  auto* s = static_cast<sink*>(user);
  const std::size_t n = size * count;
  if (s->body.size() + n > s->max_bytes) {
    s->too_large = true;
    return 0; // aborts the transfer (CURLE_WRITE_ERROR)
  }
  s->body.append(data, n);
  return n;
}

struct easy_deleter {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};

} // namespace

bool init_https_fetch() {
  return curl_global_init(CURL_GLOBAL_DEFAULT) == 0;
}

pipeline_result<std::string> fetch_https(const reference_url& url,
                                         std::chrono::milliseconds timeout,
                                         std::size_t max_bytes,
                                         const std::string& ca_file) {
  const std::string text = to_string(url);
  std::unique_ptr<CURL, easy_deleter> curl{curl_easy_init()};
  if (!curl)
    return pipeline_error{"fetching " + text + ": libcurl unavailable"};
  sink out;
  out.max_bytes = max_bytes;
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, text.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  // Worker threads: no SIGALRM-based resolver timeouts.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(max_bytes));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "tryon-ai");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (!ca_file.empty())
    curl_easy_setopt(c, CURLOPT_CAINFO, ca_file.c_str());
  const CURLcode rc = curl_easy_perform(c);
  if (out.too_large || rc == CURLE_FILESIZE_EXCEEDED)
    return pipeline_error{"fetching " + text +
                          ": larger than the reference limit"};
  if (rc != CURLE_OK)
    return pipeline_error{
        "fetching " + text + ": " +
        (error[0] != '\0' ? std::string{error} : curl_easy_strerror(rc))};
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200)
    return pipeline_error{"HTTP " + std::to_string(status) + " for " + text};
  return std::move(out.body);
}

} // namespace tryon::ai
