#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

// Streaming multipart/form-data parser (RFC 7578 over RFC 2046 framing):
//
//   preamble CRLF? "--" boundary CRLF
//   headers CRLF CRLF  data  CRLF "--" boundary CRLF     (repeated)
//   headers CRLF CRLF  data  CRLF "--" boundary "--"  epilogue
//
//   preamble -> boundary_line -> headers -> body -+-> boundary_line ...
//                                                 +-> epilogue (done)
//
// Chunks may split anything, including the boundary. Part data is passed on
// as it arrives; only a tail that could start a boundary is held back.

namespace tryon::protocol {

/// The `boundary` parameter of a `multipart/form-data` Content-Type, or
/// nullopt for another type, a missing boundary or one outside 1..70 chars.
std::optional<std::string>
multipart_boundary(std::string_view content_type_header);

/// What the headers of one part say about it.
struct multipart_part_info {
  /// The form field name from Content-Disposition (empty if none).
  std::string name;
  /// The client's file name, present only for file fields.
  std::optional<std::string> filename;
  /// The declared Content-Type ("text/plain" if none, per RFC 7578).
  std::string content_type;
};

/// Incremental parser; feed() the body in any chunking, then finish().
class multipart_parser {
public:
  /// Event handlers; returning false aborts parsing with an error. Empty
  /// handlers count as returning true.
  struct callbacks {
    /// A part's headers were read.
    std::function<bool(const multipart_part_info&)> on_part_begin;
    /// Some bytes of the current part's content.
    std::function<bool(std::string_view)> on_part_data;
    /// The current part ended.
    std::function<bool()> on_part_end;
  };

  /// Parses a body delimited by `boundary` (without the leading "--").
  multipart_parser(std::string boundary, callbacks cb,
                   std::size_t max_header_bytes = 16384);

  /// Consumes the next chunk; false once the body is malformed or aborted.
  bool feed(std::string_view chunk);

  /// Ends the input; false if an error occurred or the closing boundary was
  /// not seen.
  bool finish();

  /// Why parsing failed (empty while all is well).
  const std::string& error() const { return error_; }

  /// True once the closing boundary has been seen.
  bool done() const { return state_ == state::epilogue; }

private:
  enum class state { preamble, boundary_line, headers, body, epilogue, failed };
  enum class step { advanced, need_more, failed };

  step advance();
  step on_preamble();
  step on_boundary_line();
  step on_headers();
  step on_body();
  step fail(std::string message);

  std::string delimiter_; // CRLF "--" boundary
  callbacks cb_;
  std::size_t max_header_bytes_;
  std::string buffer_;
  std::size_t pos_ = 0; // bytes of buffer_ already consumed
  state state_ = state::preamble;
  std::string error_;
};

} // namespace tryon::protocol
