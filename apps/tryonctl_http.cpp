#include "apps/tryonctl_http.hpp"

#include <memory>
#include <stdexcept>

#include <curl/curl.h>

namespace tryon::ctl {

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count,
                    void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

struct easy_deleter {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};

struct header_list_deleter {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

} // namespace

http_result http_get(const std::string& url, const std::string& token,
                     const std::string& ca_file, std::chrono::seconds timeout) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    throw std::runtime_error("only http:// and https:// URLs are supported: " +
                             url);
  std::unique_ptr<CURL, easy_deleter> curl{curl_easy_init()};
  if (!curl)
    throw std::runtime_error("libcurl unavailable");
  std::unique_ptr<curl_slist, header_list_deleter> headers;
  auto add = [&headers](const std::string& h) {
    auto* l = curl_slist_append(headers.get(), h.c_str());
    if (!l)
      throw std::runtime_error("out of memory");
    (void)headers.release();
    headers.reset(l);
  };
  add("Accept: application/json");
  if (!token.empty())
    add("Authorization: Token " + token);
  http_result r;
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(timeout.count() * 1000));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (!ca_file.empty())
    curl_easy_setopt(c, CURLOPT_CAINFO, ca_file.c_str());
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK)
    throw std::runtime_error(
        url + ": " + (error[0] != '\0' ? error : curl_easy_strerror(rc)));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  r.status = static_cast<int>(status);
  return r;
}

} // namespace tryon::ctl
