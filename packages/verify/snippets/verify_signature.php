<?php
// Webhook-Signature: base64(HMAC-SHA256(secret, raw body)); several, space-separated, while a secret rotates.
function verify_hookline_signature(string $secret, string $rawBody, string $header): bool
{
    $expected = base64_encode(hash_hmac('sha256', $rawBody, $secret, true));
    foreach (preg_split('/\s+/', trim($header)) as $candidate) {
        if (hash_equals($expected, $candidate)) {
            return true;
        }
    }
    return false;
}

$raw = file_get_contents('php://input');
if (!verify_hookline_signature(getenv('HOOKLINE_SECRET'), $raw, $_SERVER['HTTP_WEBHOOK_SIGNATURE'] ?? '')) {
    http_response_code(401);
    exit;
}
$batch = json_decode($raw, true); // {"form.submitted": [{...payload, "timestamp": "..."}], ...}
http_response_code(204);
