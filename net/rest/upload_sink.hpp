#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "persistence/media_store.hpp"
#include "persistence/types.hpp"
#include "protocol/multipart.hpp"

namespace tryon::net::rest {

/// What a client is told when the media disk is full (HTTP 507).
inline constexpr const char* storage_full_message =
    "Insufficient storage: the server cannot store files right now; try "
    "again later";

/// Receives an upload's multipart body chunk by chunk as it arrives: the
/// `file` part streams into a temp file (never whole in memory), the `type`
/// field is kept. The temp file is removed on destruction unless taken.
class upload_sink {
public:
  /// `max_file_size` bounds the file part (413 beyond it).
  upload_sink(persistence::media_store& media, std::size_t max_file_size,
              std::string boundary);
  ~upload_sink();
  upload_sink(const upload_sink&) = delete;
  upload_sink& operator=(const upload_sink&) = delete;

  /// Feeds body bytes; false once failed (see error_status()).
  bool feed(std::string_view chunk);

  /// Ends the body; false if it was incomplete or malformed.
  bool finish();

  /// 0 while fine, else the HTTP status to answer (400, 413, 500).
  unsigned error_status() const { return error_status_; }

  /// Why it failed.
  const std::string& error_message() const { return error_message_; }

  /// The `type` field, when one was sent.
  const std::optional<std::string>& type_field() const { return type_; }

  /// Whether a `file` part was received (possibly empty).
  bool has_file() const { return has_file_; }

  /// Size of the received file part.
  std::size_t file_size() const { return file_size_; }

  /// The first bytes of the file part (for type sniffing).
  const std::string& file_head() const { return head_; }

  /// The temp file (still the sink's: removed on destruction).
  const std::filesystem::path& temp_file() const { return temp_; }

  /// Gives up the temp file once it was moved into place: after this call
  /// the sink no longer removes it.
  void release_temp_file();

  /// The caller, authenticated from the headers before any body byte was
  /// read (http_session); nullopt when the sink was made without one.
  std::optional<persistence::user> owner;

private:
  bool fail(unsigned status, std::string message);
  /// Fails after a write to the temp file failed: 507 when the disk is
  /// full, else 500.
  bool storage_failed();
  bool on_part_begin(const protocol::multipart_part_info& info);
  bool on_part_data(std::string_view data);
  bool on_part_end();

  persistence::media_store& media_;
  std::size_t max_file_size_;
  protocol::multipart_parser parser_;
  enum class part { none, file, type, other } current_ = part::none;
  std::ofstream out_;
  std::filesystem::path temp_;
  bool owns_temp_ = false;
  bool has_file_ = false;
  std::size_t file_size_ = 0;
  std::string head_;
  std::optional<std::string> type_;
  unsigned error_status_ = 0;
  std::string error_message_;
};

} // namespace tryon::net::rest
