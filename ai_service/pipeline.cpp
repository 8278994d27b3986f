#include "ai_service/pipeline.hpp"

#include "ai_service/image_codec.hpp"
#include "ai_service/nail_renderer.hpp"

namespace tryon::ai {

hand_detection render_frame(rgb_image& frame, const nail_design& design,
                            const detector_options& opts) {
  hand_detection hand = detect_hand(frame, opts);
  render_nails(frame, hand.nails, design);
  return hand;
}

pipeline_result<frame_result> process_frame(std::string_view image,
                                            const nail_design& design,
                                            const pipeline_options& opts) {
  auto decoded = decode_image(image);
  if (auto* err = std::get_if<pipeline_error>(&decoded))
    return std::move(*err);
  auto& frame = std::get<rgb_image>(decoded);
  const hand_detection hand = render_frame(frame, design, opts.detector);
  frame_result out;
  out.confidence = hand.confidence;
  out.fingertips = static_cast<int>(hand.nails.size());
  out.rendered = !hand.nails.empty();
  if (!out.rendered && detect_format(image) == image_format::jpeg) {
    out.jpeg.assign(image.data(), image.size());
    return out;
  }
  auto encoded = encode_jpeg(frame, opts.jpeg_quality);
  if (auto* err = std::get_if<pipeline_error>(&encoded))
    return std::move(*err);
  out.jpeg = std::move(std::get<std::string>(encoded));
  return out;
}

} // namespace tryon::ai
