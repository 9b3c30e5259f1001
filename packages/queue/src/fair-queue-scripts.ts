// The fair queue's Lua scripts (see fair-queue.ts for the model). Each runs atomically in Redis,
// so any number of worker processes share one line without a lock of their own.
//
// Start-time fair queueing over groups, in milliseconds of slot time, with a bounded credit:
// - V, the virtual time, is the start tag of the latest turn taken;
// - a group joining the line starts at max(V - credit, F), F its finish tag (where its last turn
//   ended): a group that was idle may run up to `credit` ms of slot time ahead of its equal share;
// - the line hands out the group with the smallest start tag; taking charges the group a quantum
//   (F = start + quantum), and ending the turn corrects F by the time the slot was really held.
// So a group that was idle gets the next free slots until it has used its credit (a quiet
// webhook's few events go out as fast as alone beside a huge backlog), busy groups alternate,
// and a group that held a slot for a whole timeout waits that much longer for its next turn.
//
// KEYS (all under one prefix, so a hash-tagged prefix keeps them in one Redis Cluster slot):
//   1 ring     ZSET  group -> start tag: the groups with a member waiting
//   2 running  ZSET  member -> ms until which a slot holds it (a dead worker's hold lapses)
//   3 meta     HASH  member -> "<cut>|<group>" for members waiting; "again:"-prefixed fields
//                    for members offered while running (they rejoin when their turn ends)
//   4 seq      STRING the order of members inside a group (oldest offer first)
//   5 finish   ZSET  group -> finish tag, kept while ahead of V - credit (else that is its start)
//   6 vt       STRING V
// Each group's waiting members are the ZSET <prefix>g:<group>, member -> order.

const COMMON = `
-- V is unset until the first turn is taken: the first groups start at 0, and credit counts from
-- where the line has got to, so groups that joined later than the pack start ahead of it.
local function vt() return tonumber(redis.call('GET', KEYS[6])) end
local CREDIT = tonumber(ARGV[3])

local function enqueue(prefix, member, group, cut)
  local meta = redis.call('HGET', KEYS[3], member)
  if meta then
    -- Already waiting: a cut offer upgrades a recovery one, nothing moves.
    if cut == '1' and string.sub(meta, 1, 1) == '0' then
      redis.call('HSET', KEYS[3], member, '1|' .. string.sub(meta, 3))
    end
    return
  end
  redis.call('ZADD', prefix .. 'g:' .. group, redis.call('INCR', KEYS[4]), member)
  redis.call('HSET', KEYS[3], member, cut .. '|' .. group)
  if not redis.call('ZSCORE', KEYS[1], group) then
    local v = vt()
    local finish = tonumber(redis.call('ZSCORE', KEYS[5], group))
    local start = finish or 0
    if v then start = math.max(v - CREDIT, finish or (v - CREDIT)) end
    redis.call('ZADD', KEYS[1], start, group)
  end
end

-- A member offered while running waits in an "again:" field and rejoins when its turn ends.
local function offer(prefix, now, member, group, cut)
  local held = redis.call('ZSCORE', KEYS[2], member)
  if held and tonumber(held) > now then
    local again = redis.call('HGET', KEYS[3], 'again:' .. member)
    if not again or (cut == '1' and string.sub(again, 1, 1) == '0') then
      redis.call('HSET', KEYS[3], 'again:' .. member, cut .. '|' .. group)
    end
    return
  end
  enqueue(prefix, member, group, cut)
end

local function rejoin(prefix, member, cut, group)
  local again = redis.call('HGET', KEYS[3], 'again:' .. member)
  if again then
    redis.call('HDEL', KEYS[3], 'again:' .. member)
    if cut ~= '1' then cut = string.sub(again, 1, 1) end
    group = string.sub(again, 3)
  end
  if cut ~= '' then enqueue(prefix, member, group, cut) end
end
`;

/** ARGV: prefix, now (ms), credit (ms), then member, group, cut ('1' | '0') triples. */
export const OFFER_SCRIPT = `${COMMON}
local prefix, now = ARGV[1], tonumber(ARGV[2])
for i = 4, #ARGV, 3 do offer(prefix, now, ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
return 0
`;

/**
 * ARGV: prefix, now (ms), credit (ms), hold (ms), count, quantum (ms), credited only ('1' | '0').
 * Takes up to `count` members: each time the group with the smallest start tag gives its oldest
 * member; credited only, it stops at the first group not ahead of V (one that did not join from
 * idle). Holds that lapsed go first (their worker died): a member offered meanwhile rejoins the
 * line. Returns member, group, cut triples.
 */
export const TAKE_SCRIPT = `${COMMON}
local prefix, now, hold = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4])
local count, quantum, creditedOnly = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7] == '1'
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('ZREM', KEYS[2], member)
  rejoin(prefix, member, '', '')
end
local out = {}
local v = vt()
while #out < count * 3 do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local group, start = head[1], tonumber(head[2])
  if not group then break end
  if creditedOnly and (not v or start >= v) then break end
  local gkey = prefix .. 'g:' .. group
  local first = redis.call('ZRANGE', gkey, 0, 0)
  local member = first[1]
  redis.call('ZREM', KEYS[1], group)
  if member then
    v = math.max(v or start, start)
    redis.call('SET', KEYS[6], v)
    local finish = start + quantum
    redis.call('ZADD', KEYS[5], finish, group)
    redis.call('ZREM', gkey, member)
    if redis.call('ZCARD', gkey) > 0 then redis.call('ZADD', KEYS[1], finish, group) end
    local meta = redis.call('HGET', KEYS[3], member) or '1|'
    redis.call('HDEL', KEYS[3], member)
    redis.call('ZADD', KEYS[2], now + hold, member)
    out[#out + 1] = member
    out[#out + 1] = group
    out[#out + 1] = string.sub(meta, 1, 1)
  end
end
-- Finish tags a whole credit behind V say nothing more than V - credit: forget them, so memory
-- follows the groups with recent work, not every group ever served.
if v then redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', v - CREDIT) end
return out
`;

/**
 * ARGV: prefix, now (ms), credit (ms), member, group, cut ('1' | '0' | '' for nothing left), held
 * (ms the turn really took), quantum (ms charged when it was taken). Ends a member's turn: the group's finish
 * tag is corrected by what the turn really held, and the member rejoins the line when it has work
 * left or was offered while it ran.
 */
export const FINISH_SCRIPT = `${COMMON}
local prefix, now, member, group, cut = ARGV[1], tonumber(ARGV[2]), ARGV[4], ARGV[5], ARGV[6]
local correction = tonumber(ARGV[7]) - tonumber(ARGV[8])
local floor = (vt() or 0) - CREDIT
redis.call('ZREM', KEYS[2], member)
local finish = tonumber(redis.call('ZSCORE', KEYS[5], group) or floor)
redis.call('ZADD', KEYS[5], math.max(floor, finish + correction), group)
local waiting = redis.call('ZSCORE', KEYS[1], group)
if waiting then redis.call('ZADD', KEYS[1], math.max(floor, tonumber(waiting) + correction), group) end
rejoin(prefix, member, cut, group)
return 0
`;

/**
 * ARGV: prefix, now (ms), credit (ms), member, hold (ms). A turn that carries on renews its hold;
 * returns how many groups wait for a slot.
 */
export const RENEW_SCRIPT = `
redis.call('ZADD', KEYS[2], 'XX', tonumber(ARGV[2]) + tonumber(ARGV[5]), ARGV[4])
return redis.call('ZCARD', KEYS[1])
`;
