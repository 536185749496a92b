import { describe, expect, it } from 'vitest';
import { chatRequestSchema } from '../../src/api/chat-schema.js';
import { GatewayError } from '../../src/api/errors.js';
import { toAnthropicMessage, toAnthropicUsage } from '../../src/api/anthropic/from-chat.js';
import { messagesRequestSchema } from '../../src/api/anthropic/request-schema.js';
import { MessageEventEncoder } from '../../src/api/anthropic/stream-events.js';
import { messagesToChat } from '../../src/api/anthropic/to-chat.js';
import { chunk } from '../helpers/provider-test-kit.js';

const convert = (input: Record<string, unknown>) => chatRequestSchema.parse(messagesToChat(messagesRequestSchema.parse({ model: 'm', max_tokens: 100, ...input })));

describe('Messages request → chat request', () => {
  it.each([
    [1024, 'minimal'],
    [2047, 'minimal'],
    [2048, 'low'],
    [10000, 'medium'],
    [16384, 'high'],
    [100000, 'xhigh'],
  ])('thinking budget %i → reasoning_effort %s', (budget, effort) => {
    expect(convert({ thinking: { type: 'enabled', budget_tokens: budget }, messages: [{ role: 'user', content: 'x' }] }).reasoning_effort).toBe(effort);
  });

  it('maps adaptive and disabled thinking, system blocks, images, documents and tool choices', () => {
    const request = convert({
      system: [{ type: 'text', text: 'One.' }, { type: 'text', text: 'Two.' }],
      thinking: { type: 'adaptive' },
      tool_choice: { type: 'tool', name: 'weather' },
      tools: [{ name: 'weather', input_schema: { type: 'object' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:' },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' }, title: 'a.pdf' },
          ],
        },
      ],
    });
    expect(request.reasoning_effort).toBe('medium');
    expect(request.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
    expect(request.messages).toEqual([
      { role: 'system', content: 'One.\n\nTwo.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } },
        ],
      },
    ]);
    expect(convert({ thinking: { type: 'disabled' }, tool_choice: { type: 'none' }, messages: [{ role: 'user', content: 'x' }] })).toMatchObject({ reasoning_effort: 'none', tool_choice: 'none' });
  });

  it('refuses a block a turn cannot hold, naming where it is', () => {
    const thrown = (() => {
      try {
        convert({ messages: [{ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x' }] }] });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ code: 'unsupported_parameter', param: 'messages.0.content.0' });
  });
});

describe('chat answer → Messages shapes', () => {
  it('takes cache reads and writes out of input_tokens', () => {
    expect(toAnthropicUsage({ prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 30 } } as never)).toEqual({
      input_tokens: 10,
      output_tokens: 7,
      cache_read_input_tokens: 60,
      cache_creation_input_tokens: 30,
    });
  });

  it('renders a refusal as text with stop_reason refusal, and bad tool arguments as an empty input', () => {
    const message = toAnthropicMessage({
      id: 'c',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: 'I cannot.', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{not json' } }] },
          finish_reason: 'content_filter',
        },
      ],
    });
    expect(message).toMatchObject({
      content: [
        { type: 'text', text: 'I cannot.' },
        { type: 'tool_use', id: 't', name: 'f', input: {} },
      ],
      stop_reason: 'refusal',
    });
  });
});

describe('chunks → Messages events', () => {
  const events = (frames: string[]) => frames.map((text) => JSON.parse(text.split('\ndata: ')[1]!) as { type: string; index?: number; delta?: Record<string, unknown>; content_block?: Record<string, unknown> });

  it('opens and closes blocks in order: thinking with its signature, redacted thinking, text', () => {
    const encoder = new MessageEventEncoder('m', 'msg_1');
    const frames = [
      ...encoder.chunk(chunk({ role: 'assistant', reasoning_content: 'Hm' })),
      ...encoder.chunk(chunk({ thinking_blocks: [{ type: 'thinking', thinking: 'Hm', signature: 'sig' }] })),
      ...encoder.chunk(chunk({ thinking_blocks: [{ type: 'redacted_thinking', data: 'xyz' }] })),
      ...encoder.chunk(chunk({ content: 'Hi' }, 'stop')),
      ...encoder.finish(),
    ];
    expect(events(frames).map((event) => [event.type, event.index ?? '', event.delta?.type ?? event.content_block?.type ?? ''])).toEqual([
      ['message_start', '', ''],
      ['content_block_start', 0, 'thinking'],
      ['content_block_delta', 0, 'thinking_delta'],
      ['content_block_delta', 0, 'signature_delta'],
      ['content_block_stop', 0, ''],
      ['content_block_start', 1, 'redacted_thinking'],
      ['content_block_stop', 1, ''],
      ['content_block_start', 2, 'text'],
      ['content_block_delta', 2, 'text_delta'],
      ['content_block_stop', 2, ''],
      ['message_delta', '', ''],
      ['message_stop', '', ''],
    ]);
    expect(frames[0]!.startsWith('event: message_start\ndata: ')).toBe(true);
  });

  it('a stream that ended before its first chunk is still a whole message', () => {
    const frames = events(new MessageEventEncoder('m', 'msg_1').finish());
    expect(frames.map((event) => event.type)).toEqual(['message_start', 'message_delta', 'message_stop']);
    expect(frames[0]).toMatchObject({ message: { id: 'msg_1', model: 'm', content: [] } });
  });

  it('fails rather than mix the arguments of two tool calls', () => {
    const encoder = new MessageEventEncoder('m', 'msg_1');
    encoder.chunk(chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{"x"' } }] }));
    encoder.chunk(chunk({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '{}' } }] }));
    expect(() => encoder.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }))).toThrow(/interleaved/);
  });
});
