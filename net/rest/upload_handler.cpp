#include "net/rest/upload_handler.hpp"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "net/rest/quotas.hpp"
#include "persistence/store_error.hpp"
#include "protocol/image_sniff.hpp"

namespace tryon::net::rest {

std::variant<persistence::user, http_response>
admit_upload(rest_context& ctx, const http_request& req,
             std::uint64_t declared_bytes) {
  auto auth = authenticate(ctx, req);
  if (std::holds_alternative<http_response>(auth))
    return auth;
  const auto& caller = std::get<persistence::user>(auth);
  if (auto res = charge_upload(ctx, caller.id, declared_bytes))
    return *res;
  return auth;
}

http_response finish_upload(rest_context& ctx, const http_request& req,
                            upload_sink* sink) {
  // The transport authenticated (and charged) a multipart upload from its
  // headers before reading the body; anything else is checked here.
  auth_outcome auth = persistence::user{};
  if (sink && sink->owner)
    auth = *sink->owner;
  else
    auth = authenticate(ctx, req);
  if (auto* res = std::get_if<http_response>(&auth))
    return *res;
  const auto& caller = std::get<persistence::user>(auth);
  if (sink && sink->error_status() != 0)
    return http_response::error(sink->error_status(), sink->error_message());
  if (!sink || !sink->has_file() || !sink->type_field())
    return http_response::error(400, "Missing file or type");
  const auto& kind = *sink->type_field();
  // A fixed set: the original built a storage path from this value.
  if (kind != "nail_reference" && kind != "source_image")
    return http_response::error(
        400, "Invalid type: expected nail_reference or source_image");
  auto image = protocol::sniff_image(sink->file_head());
  if (image == protocol::image_kind::unknown)
    return http_response::error(
        415, "Unsupported file: only JPEG, PNG and WebP images are accepted");
  thread_local boost::uuids::random_generator gen;
  auto rel = "uploads/" + kind + "/" + boost::uuids::to_string(gen()) +
             std::string{protocol::file_extension(image)};
  // Released only once moved: a failed commit leaves it to the sink, which
  // removes it.
  ctx.media.commit(sink->temp_file(), rel);
  sink->release_temp_file();
  persistence::upload_record rec;
  rec.user_id = caller.id;
  rec.kind = kind;
  rec.media_path = rel;
  rec.url = ctx.media.url_for(rel);
  rec.content_type = std::string{protocol::content_type(image)};
  rec.size = static_cast<std::int64_t>(sink->file_size());
  try {
    ctx.uploads.add_upload(rec);
  } catch (...) {
    // No file without its row.
    ctx.media.remove(rel);
    throw;
  }
  return http_response::json(201, {{"url", rec.url}, {"type", kind}});
}

} // namespace tryon::net::rest
