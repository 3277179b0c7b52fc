#include "Expression.h"

namespace avatar {

const char* toString(Expression expression) {
    switch (expression) {
    case Expression::Neutral:
        return "neutral";
    case Expression::Friendly:
        return "friendly";
    case Expression::Serious:
        return "serious";
    }
    return "neutral";
}

std::optional<Expression> parseExpression(std::string_view text) {
    for (const Expression e : {Expression::Neutral, Expression::Friendly, Expression::Serious})
        if (text == toString(e))
            return e;
    return std::nullopt;
}

double smileOf(Expression expression) {
    switch (expression) {
    case Expression::Friendly:
        return 1.0;
    case Expression::Serious:
        return -1.0;
    case Expression::Neutral:
        break;
    }
    return 0.0;
}

} // namespace avatar
