#pragma once

#include <optional>
#include <string_view>

namespace avatar {

// The presenter's resting expression (issue #12). Neutral keeps the portrait's own face; Friendly adds a
// resting smile (corners up and out, cheeks and lower lids lifted a little); Serious draws the corners down
// a little and the brows down and in. It is a pose offset (MouthParams::smile), so the mouth keeps talking.
enum class Expression { Neutral, Friendly, Serious };

// "neutral", "friendly", "serious": the spelling of the CLI, the job database and the JSON result.
const char* toString(Expression expression);
std::optional<Expression> parseExpression(std::string_view text);
// The pose value: +1 friendly, -1 serious, 0 neutral.
double smileOf(Expression expression);

} // namespace avatar
