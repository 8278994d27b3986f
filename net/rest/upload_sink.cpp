#include "net/rest/upload_sink.hpp"

#include <cerrno>
#include <system_error>

#include "persistence/store_error.hpp"

namespace tryon::net::rest {

namespace {

constexpr std::size_t head_bytes = 16;
constexpr std::size_t max_type_field = 64;

} // namespace

upload_sink::upload_sink(persistence::media_store& media,
                         std::size_t max_file_size, std::string boundary)
  : media_(media), max_file_size_(max_file_size),
    parser_(std::move(boundary),
            {[this](const auto& info) { return on_part_begin(info); },
             [this](std::string_view d) { return on_part_data(d); },
             [this] { return on_part_end(); }}) {}

upload_sink::~upload_sink() {
  out_.close();
  if (owns_temp_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

bool upload_sink::storage_failed() {
  // Read errno first: anything below may change it.
  int err = errno;
  if (persistence::is_out_of_space(err))
    return fail(507, storage_full_message);
  std::error_code ec;
  auto space = std::filesystem::space(temp_.parent_path(), ec);
  if (!ec && space.available < 64 * 1024)
    return fail(507, storage_full_message);
  return fail(500, "Cannot store the upload");
}

bool upload_sink::fail(unsigned status, std::string message) {
  if (error_status_ == 0) {
    error_status_ = status;
    error_message_ = std::move(message);
  }
  return false;
}

bool upload_sink::feed(std::string_view chunk) {
  if (error_status_ != 0)
    return false;
  if (!parser_.feed(chunk))
    return fail(400, "Malformed multipart body: " + parser_.error());
  return true;
}

bool upload_sink::finish() {
  if (error_status_ != 0)
    return false;
  if (!parser_.finish())
    return fail(400, "Malformed multipart body: " + parser_.error());
  return true;
}

bool upload_sink::on_part_begin(const protocol::multipart_part_info& info) {
  current_ = part::other;
  if (info.name == "file" && !has_file_) {
    try {
      temp_ = media_.make_temp_path();
    } catch (const std::exception& e) {
      return fail(500, std::string{"Cannot store the upload: "} + e.what());
    }
    errno = 0;
    out_.open(temp_, std::ios::binary | std::ios::trunc);
    owns_temp_ = true;
    if (!out_)
      return storage_failed();
    has_file_ = true;
    current_ = part::file;
  } else if (info.name == "type" && !info.filename) {
    type_.emplace();
    current_ = part::type;
  }
  return true;
}

bool upload_sink::on_part_data(std::string_view data) {
  switch (current_) {
  case part::file:
    file_size_ += data.size();
    if (file_size_ > max_file_size_)
      return fail(413, "File too large: the limit is " +
                           std::to_string(max_file_size_) + " bytes");
    if (head_.size() < head_bytes)
      head_.append(data.substr(0, head_bytes - head_.size()));
    errno = 0;
    out_.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out_)
      return storage_failed();
    return true;
  case part::type:
    if (type_->size() + data.size() > max_type_field)
      return fail(400, "Invalid type");
    type_->append(data);
    return true;
  default:
    return true;
  }
}

bool upload_sink::on_part_end() {
  if (current_ == part::file) {
    errno = 0;
    out_.flush();
    if (out_.fail())
      return storage_failed();
    out_.close();
    if (out_.fail())
      return storage_failed();
  }
  current_ = part::none;
  return true;
}

void upload_sink::release_temp_file() {
  owns_temp_ = false;
}

} // namespace tryon::net::rest
