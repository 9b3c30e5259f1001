<?php
// Webhook-Signature: base64(HMAC-SHA256(secret, raw body)). While a secret rotates it is made with
// the old secret and Webhook-Signature-Next with the new one: either may match.
function verify_hookline_signature(string $secret, string $rawBody, string $header, string $nextHeader = ''): bool
{
    $expected = base64_encode(hash_hmac('sha256', $rawBody, $secret, true));
    foreach ([$header, $nextHeader] as $candidate) {
        if ($candidate !== '' && hash_equals($expected, trim($candidate))) {
            return true;
        }
    }
    return false;
}

$raw = file_get_contents('php://input');
$signature = $_SERVER['HTTP_WEBHOOK_SIGNATURE'] ?? '';
$next = $_SERVER['HTTP_WEBHOOK_SIGNATURE_NEXT'] ?? '';
if (!verify_hookline_signature(getenv('HOOKLINE_SECRET'), $raw, $signature, $next)) {
    http_response_code(401);
    exit;
}
$batch = json_decode($raw, true); // {"form.submitted": [{...payload, "timestamp": "..."}], ...}
http_response_code(204);
