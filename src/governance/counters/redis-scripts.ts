/**
 * The Lua scripts of the shared counters. Each runs atomically in Redis, so
 * instances never race: check every limit, then apply every change, or none.
 *
 * Layout, for a counter key K:
 * - sliding window: K (sorted set: request id → arrival ms), K:v (hash: id → weight), K:s (sum of weights);
 * - concurrency: K (sorted set: request id → lease expiry);
 * - budget: K:spent (settled nano-USD), K:r (sorted set: id → lease expiry), K:ra (hash: id → reserved nano-USD), K:rt (sum reserved).
 * Amounts travel as strings of integers and are applied with INCRBY/DECRBY.
 */

const helpers = `
local function num(value) return tonumber(value) or 0 end
local function int(value) return string.format('%.0f', value) end

-- Removes members from a logged counter and subtracts their weights from its sum.
local function drop(zkey, hkey, skey, members)
  local freed = 0
  for i = 1, #members, 500 do
    local chunk = {}
    for j = i, math.min(i + 499, #members) do chunk[#chunk + 1] = members[j] end
    local weights = redis.call('HMGET', hkey, unpack(chunk))
    for _, weight in ipairs(weights) do freed = freed + num(weight) end
    redis.call('ZREM', zkey, unpack(chunk))
    redis.call('HDEL', hkey, unpack(chunk))
  end
  if freed ~= 0 then redis.call('DECRBY', skey, int(freed)) end
end

-- Drops members scored at or below upto; returns the sum left.
local function purge(zkey, hkey, skey, upto)
  local expired = redis.call('ZRANGEBYSCORE', zkey, '-inf', upto)
  if #expired > 0 then drop(zkey, hkey, skey, expired) end
  return num(redis.call('GET', skey))
end

local function oldestReset(zkey, window, now)
  local oldest = redis.call('ZRANGE', zkey, 0, 0, 'WITHSCORES')
  if #oldest == 0 then return 0 end
  return math.max(0, num(oldest[2]) + window - now)
end
`;

/**
 * ARGV: now, id, plan JSON { w: [[key, limit, windowMs, weight, isTokens]], c: [[key, limit]], b: [[key, limit, amount]], lease }.
 * Returns {'seed', i...} when budget counters must first be seeded from the ledger,
 * {'w', i, retryMs, remaining, resetMs} / {'c', i, retryMs} / {'b', i, spent, reserved} when refused,
 * or {'ok', remaining1, reset1, ..., '|', spent1, reserved1, ...} when admitted.
 */
export const admitScript = `${helpers}
local now = tonumber(ARGV[1])
local id = ARGV[2]
local plan = cjson.decode(ARGV[3])
local lease = tonumber(plan.lease)

local missing = {}
for i, b in ipairs(plan.b) do
  if redis.call('EXISTS', b[1] .. ':spent') == 0 then missing[#missing + 1] = i end
end
if #missing > 0 then
  local reply = {'seed'}
  for _, i in ipairs(missing) do reply[#reply + 1] = i end
  return reply
end

local used = {}
for i, w in ipairs(plan.w) do
  local k, limit, window, weight = w[1], w[2], w[3], w[4]
  used[i] = purge(k, k .. ':v', k .. ':s', now - window)
  if used[i] + weight > limit then
    local retry = -1
    if weight <= limit then
      local need = used[i] + weight - limit
      if w[5] == 1 then
        local entries = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')
        local freed = 0
        for j = 1, #entries, 2 do
          freed = freed + num(redis.call('HGET', k .. ':v', entries[j]))
          if freed >= need then retry = num(entries[j + 1]) + window - now break end
        end
      else
        local entry = redis.call('ZRANGE', k, need - 1, need - 1, 'WITHSCORES')
        if #entry > 0 then retry = num(entry[2]) + window - now end
      end
    end
    return {'w', i, int(retry), int(math.max(0, limit - used[i])), int(oldestReset(k, window, now))}
  end
end

for i, c in ipairs(plan.c) do
  redis.call('ZREMRANGEBYSCORE', c[1], '-inf', now)
  if redis.call('ZCARD', c[1]) + 1 > c[2] then return {'c', i, 1000} end
end

local budgets = {}
for i, b in ipairs(plan.b) do
  local k, limit, amount = b[1], b[2], b[3]
  local spent = num(redis.call('GET', k .. ':spent'))
  local reserved = purge(k .. ':r', k .. ':ra', k .. ':rt', now)
  if spent >= limit or spent + reserved + amount > limit then return {'b', i, int(spent), int(reserved)} end
  budgets[i] = {spent, reserved}
end

local reply = {'ok'}
for i, w in ipairs(plan.w) do
  local k, limit, window, weight = w[1], w[2], w[3], w[4]
  redis.call('ZADD', k, now, id)
  redis.call('HSET', k .. ':v', id, int(weight))
  redis.call('INCRBY', k .. ':s', int(weight))
  for _, key in ipairs({k, k .. ':v', k .. ':s'}) do redis.call('PEXPIRE', key, window + 60000) end
  reply[#reply + 1] = int(math.max(0, limit - used[i] - weight))
  reply[#reply + 1] = int(oldestReset(k, window, now))
end
for _, c in ipairs(plan.c) do
  redis.call('ZADD', c[1], now + lease, id)
  redis.call('PEXPIRE', c[1], lease * 2)
end
reply[#reply + 1] = '|'
for i, b in ipairs(plan.b) do
  local k, amount = b[1], b[3]
  redis.call('ZADD', k .. ':r', now + lease, id)
  redis.call('HSET', k .. ':ra', id, int(amount))
  redis.call('INCRBY', k .. ':rt', int(amount))
  for _, key in ipairs({k .. ':r', k .. ':ra', k .. ':rt'}) do redis.call('PEXPIRE', key, lease * 2) end
  reply[#reply + 1] = int(budgets[i][1])
  reply[#reply + 1] = int(budgets[i][2] + amount)
end
return reply
`;

/**
 * ARGV: now, id, plan JSON { w: [[key, weight, remove]], c: [key], b: [[key, actual]], marker, markerTtlMs }.
 * Returns {'dup'} when the id was settled before, else {'ok', spent1, ...} (-1 for a budget counter that does not exist).
 */
export const settleScript = `${helpers}
local now = tonumber(ARGV[1])
local id = ARGV[2]
local plan = cjson.decode(ARGV[3])
if not redis.call('SET', plan.marker, '1', 'NX', 'PX', plan.markerTtl) then return {'dup'} end

for _, w in ipairs(plan.w) do
  local k, weight, remove = w[1], w[2], w[3]
  local old = redis.call('HGET', k .. ':v', id)
  if old then
    if remove == 1 then
      drop(k, k .. ':v', k .. ':s', {id})
    else
      redis.call('HSET', k .. ':v', id, int(weight))
      local delta = weight - num(old)
      if delta ~= 0 then redis.call('INCRBY', k .. ':s', int(delta)) end
    end
  end
end
for _, key in ipairs(plan.c) do redis.call('ZREM', key, id) end

local reply = {'ok'}
for _, b in ipairs(plan.b) do
  local k, actual = b[1], b[2]
  drop(k .. ':r', k .. ':ra', k .. ':rt', {id})
  if redis.call('EXISTS', k .. ':spent') == 1 then
    if actual > 0 then redis.call('INCRBY', k .. ':spent', int(actual)) end
    reply[#reply + 1] = redis.call('GET', k .. ':spent')
  else
    reply[#reply + 1] = '-1'
  end
end
return reply
`;

/** KEYS[1] = K:spent; ARGV: seed, ttlMs (0 for none). Sets the counter only if absent. */
export const seedScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) else redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;
