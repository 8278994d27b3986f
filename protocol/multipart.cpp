#include "protocol/multipart.hpp"

#include "protocol/mime_params.hpp"

#include <utility>

namespace tryon::protocol {

namespace {

constexpr std::size_t max_boundary_size = 70;
// Transport padding allowed after a boundary before its CRLF.
constexpr std::size_t max_padding = 256;

// Parses "Name: value" lines; nullopt on a line without a colon.
std::optional<multipart_part_info> parse_part_headers(std::string_view text) {
  multipart_part_info info;
  info.content_type = "text/plain";
  while (!text.empty()) {
    auto eol = text.find("\r\n");
    auto line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{}
                                         : text.substr(eol + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return std::nullopt;
    auto name = trim_space(line.substr(0, colon));
    auto value = trim_space(line.substr(colon + 1));
    if (iequals(name, "content-disposition")) {
      info.name = mime_param(value, "name").value_or("");
      info.filename = mime_param(value, "filename");
    } else if (iequals(name, "content-type") && !value.empty()) {
      info.content_type = std::string{value};
    }
  }
  return info;
}

} // namespace

std::optional<std::string>
multipart_boundary(std::string_view content_type_header) {
  if (mime_main_value(content_type_header) != "multipart/form-data")
    return std::nullopt;
  auto boundary = mime_param(content_type_header, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > max_boundary_size ||
      boundary->find_first_of("\r\n") != std::string::npos)
    return std::nullopt;
  return boundary;
}

multipart_parser::multipart_parser(std::string boundary, callbacks cb,
                                   std::size_t max_header_bytes)
  : delimiter_("\r\n--" + boundary), cb_(std::move(cb)),
    max_header_bytes_(max_header_bytes),
    // The first boundary may open the body without a CRLF before it; a
    // virtual CRLF lets one delimiter search serve every boundary.
    buffer_("\r\n") {
  if (boundary.empty() || boundary.find_first_of("\r\n") != std::string::npos)
    fail("invalid multipart boundary");
}

bool multipart_parser::feed(std::string_view chunk) {
  if (state_ == state::failed)
    return false;
  if (state_ == state::epilogue)
    return true;
  buffer_.append(chunk);
  for (;;) {
    auto result = advance();
    if (result == step::failed)
      return false;
    if (result == step::need_more)
      break;
  }
  buffer_.erase(0, pos_);
  pos_ = 0;
  return true;
}

bool multipart_parser::finish() {
  if (state_ == state::failed)
    return false;
  if (state_ != state::epilogue) {
    fail("closing boundary not seen");
    return false;
  }
  return true;
}

multipart_parser::step multipart_parser::advance() {
  switch (state_) {
  case state::preamble:
    return on_preamble();
  case state::boundary_line:
    return on_boundary_line();
  case state::headers:
    return on_headers();
  case state::body:
    return on_body();
  case state::epilogue:
    pos_ = buffer_.size();
    return step::need_more;
  case state::failed:
    break;
  }
  return step::failed;
}

multipart_parser::step multipart_parser::on_preamble() {
  std::string_view view{buffer_};
  auto found = view.find(delimiter_, pos_);
  if (found == std::string_view::npos) {
    // Keep only what could be the start of a delimiter.
    auto keep = delimiter_.size() - 1;
    if (view.size() - pos_ > keep)
      pos_ = view.size() - keep;
    return step::need_more;
  }
  pos_ = found + delimiter_.size();
  state_ = state::boundary_line;
  return step::advanced;
}

multipart_parser::step multipart_parser::on_boundary_line() {
  auto view = std::string_view{buffer_}.substr(pos_);
  if (view.size() < 2)
    return step::need_more;
  if (view.substr(0, 2) == "--") {
    state_ = state::epilogue;
    pos_ = buffer_.size();
    return step::need_more;
  }
  std::size_t i = 0;
  while (i < view.size() && (view[i] == ' ' || view[i] == '\t'))
    ++i;
  if (i > max_padding)
    return fail("malformed boundary line");
  if (i + 2 > view.size())
    return i == view.size() || view[i] == '\r'
               ? step::need_more
               : fail("malformed boundary line");
  if (view.substr(i, 2) != "\r\n")
    return fail("malformed boundary line");
  pos_ += i + 2;
  state_ = state::headers;
  return step::advanced;
}

multipart_parser::step multipart_parser::on_headers() {
  auto view = std::string_view{buffer_}.substr(pos_);
  if (view.size() < 2)
    return step::need_more;
  std::size_t header_size = 0;
  std::size_t consumed = 2; // a part without headers starts with CRLF
  if (view.substr(0, 2) != "\r\n") {
    header_size = view.find("\r\n\r\n");
    if (header_size == std::string_view::npos ||
        header_size > max_header_bytes_)
      // Written so a huge max_header_bytes_ cannot overflow.
      return view.size() >= 4 && view.size() - 4 >= max_header_bytes_
                 ? fail("part headers too large")
                 : step::need_more;
    consumed = header_size + 4;
  }
  auto info = parse_part_headers(view.substr(0, header_size));
  if (!info)
    return fail("malformed part header");
  pos_ += consumed;
  state_ = state::body;
  if (cb_.on_part_begin && !cb_.on_part_begin(*info))
    return fail("aborted by on_part_begin");
  return step::advanced;
}

multipart_parser::step multipart_parser::on_body() {
  auto view = std::string_view{buffer_}.substr(pos_);
  auto found = view.find(delimiter_);
  auto data_size = found;
  if (found == std::string_view::npos) {
    // Hold back the longest tail that could begin a delimiter.
    data_size = view.size();
    auto tail_start = view.size() > delimiter_.size() - 1
                          ? view.size() - (delimiter_.size() - 1)
                          : 0;
    for (auto cr = view.find('\r', tail_start); cr != std::string_view::npos;
         cr = view.find('\r', cr + 1)) {
      auto tail = view.substr(cr);
      if (std::string_view{delimiter_}.substr(0, tail.size()) == tail) {
        data_size = cr;
        break;
      }
    }
  }
  if (data_size > 0 && cb_.on_part_data &&
      !cb_.on_part_data(view.substr(0, data_size)))
    return fail("aborted by on_part_data");
  pos_ += data_size;
  if (found == std::string_view::npos)
    return step::need_more;
  pos_ += delimiter_.size();
  state_ = state::boundary_line;
  if (cb_.on_part_end && !cb_.on_part_end())
    return fail("aborted by on_part_end");
  return step::advanced;
}

multipart_parser::step multipart_parser::fail(std::string message) {
  state_ = state::failed;
  error_ = std::move(message);
  buffer_.clear();
  pos_ = 0;
  return step::failed;
}

} // namespace tryon::protocol
